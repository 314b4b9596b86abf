// Package safefile reads files that a user or a repository names without trusting what they are:
// a FIFO, a device or a socket is refused before it is read (opening a FIFO for reading waits for
// a writer, forever; /dev/zero never ends), and no file is read past a size limit.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular is returned (wrapped) for a path that is not a regular file.
var ErrNotRegular = errors.New("not a regular file")

// TooLargeError says a file is larger than the limit it was read with.
type TooLargeError struct {
	Size  int64 // the file's size, or -1 when it was only found to be larger while reading
	Limit int64
}

func (e *TooLargeError) Error() string {
	if e.Size >= 0 {
		return fmt.Sprintf("file is %d bytes, larger than the %d-byte limit", e.Size, e.Limit)
	}
	return fmt.Sprintf("file is larger than the %d-byte limit", e.Limit)
}

// Kind describes a file mode for messages: "a FIFO", "a device", "a folder".
func Kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO (named pipe)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeIrregular != 0:
		return "an irregular file"
	}
	return "a regular file"
}

// Check says whether path (following symbolic links) is a regular file, without opening it.
func Check(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	return regular(info)
}

func regular(info fs.FileInfo) error {
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%w: it is %s", ErrNotRegular, Kind(info.Mode()))
	}
	return nil
}

// Open opens a regular file for reading. Anything else is refused: it is looked at before it is
// opened, and opened without blocking (a FIFO swapped in between cannot make the open wait), then
// looked at again.
func Open(path string) (*os.File, fs.FileInfo, error) {
	if err := Check(path); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err == nil {
		err = regular(info)
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, info, nil
}

// ReadFile reads a regular file of at most limit bytes. A larger file is a *TooLargeError, found
// from its size before reading or, should it grow, after reading limit+1 bytes.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, info, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info.Size() > limit {
		return nil, &TooLargeError{Size: info.Size(), Limit: limit}
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Size: -1, Limit: limit}
	}
	return data, nil
}
