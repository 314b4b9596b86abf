package cli

import (
	"os"
	"testing"
)

// TestMain keeps the runs of the tests away from the user's cache folder: the repository index
// cache goes to a temporary folder.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "podlint-cli-cache")
	if err != nil {
		panic(err)
	}
	userCacheDir = func() (string, error) { return dir, nil }
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
