package cli

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// TestRelatedLocations checks the findings that involve a second place: a repeated port names its
// first declaration, a duplicate key its first key, in JSON and in SARIF.
func TestRelatedLocations(t *testing.T) {
	dir := repo(t, map[string]string{"pod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web, rel: stable}
  labels: {app: web, rel: stable}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f, uid: 7a9e2c41}]
spec:
  containers:
    - name: a
      image: nginx
      ports: [{containerPort: 80, name: http}]
    - name: b
      image: nginx
      ports: [{containerPort: 80, name: web}]
`})
	_, stdout, stderr := runIn(t, dir, "", "--format", "json", "pod.yaml")
	var rep struct {
		Findings []struct {
			Rule    string
			Line    int
			Related []struct {
				File               string
				Line, Column       int
				EndLine, EndColumn int
				Message            string
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v\n%s%s", err, stdout, stderr)
	}
	var got []string
	for _, f := range rep.Findings {
		for _, r := range f.Related {
			got = append(got, strings.Join([]string{f.Rule, itoa(f.Line), r.File, itoa(r.Line), itoa(r.Column), itoa(r.EndColumn), r.Message}, " "))
		}
	}
	want := []string{
		`duplicate-key 6 pod.yaml 5 3 9 the first "labels" key, whose value is lost`,
		"port-conflict 15 pod.yaml 12 31 33 containerPort 80/TCP first declared here",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("related locations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	_, stdout, _ = runIn(t, dir, "", "--format", "sarif", "pod.yaml")
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID           string
				RelatedLocations []struct {
					PhysicalLocation struct {
						Region struct{ StartLine int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &log); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range log.Runs[0].Results {
		for _, l := range r.RelatedLocations {
			lines = append(lines, r.RuleID+" "+itoa(l.PhysicalLocation.Region.StartLine))
		}
	}
	if got := strings.Join(lines, ", "); got != "duplicate-key 5, port-conflict 12" {
		t.Errorf("SARIF related locations %q", got)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
