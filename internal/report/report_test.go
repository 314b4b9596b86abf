package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	// The SARIF library is not used by podlint; it is imported here only so that the module (and the
	// SARIF 2.1.0 schema it ships) stays in go.mod for sarifSchema.
	_ "github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
	"github.com/xeipuuv/gojsonschema"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// sampleBase stands for the working directory in the sample, so absolute paths can be made relative.
var sampleBase = filepath.FromSlash("/repo")

// sampleResult covers what the writers must handle: every severity, a rule missing from the catalog,
// findings without an object or an end, an absolute path, and characters that need escaping.
func sampleResult() (*lint.Result, Options) {
	web := manifest.Object{APIVersion: "v1", Kind: "Pod", Namespace: "default", Name: "web"}
	ok := manifest.Object{APIVersion: "v1", Kind: "Pod", Namespace: "default", Name: "ok"}
	dep := manifest.Object{APIVersion: "apps/v1", Kind: "Deployment", Name: "api"}
	odd := filepath.Join(sampleBase, "deploy", "a,b:c 100%.yaml")
	r := &lint.Result{
		Findings: []lint.Finding{
			{Rule: "parse-error", Severity: lint.Error, Message: "YAML does not parse: did not find expected key", File: "broken.yaml", Line: 3, Column: 1, Source: "  : x"},
			{Rule: "custom-policy", Severity: lint.Warning, Message: "100% wrong:\nsee line two, and | pipes", File: odd, Line: 7, Column: 9, EndLine: 7, EndColumn: 14, Object: dep, Path: "/spec/replicas", Source: "  replicas: 1",
				Fixes: []lint.Fix{{Description: "write the replicas as a number", Edits: []lint.Edit{{Line: 7, Column: 13, EndLine: 7, EndColumn: 16, Text: "1"}}}}},
			{Rule: "duplicate-key", Severity: lint.Error, Message: `duplicate key "name" (first at line 4): only this last value counts`, File: "web.yaml", Line: 5, Column: 3, EndLine: 5, EndColumn: 7, Object: web, Path: "/metadata/name", Source: "  name: web2",
				Related: []lint.Location{{File: "web.yaml", Line: 4, Column: 3, EndLine: 4, EndColumn: 7, Message: "first \"name\" key"}}},
			{Rule: "custom-policy", Severity: lint.Info, Message: "a note", File: "web.yaml", Line: 9, Column: 5, EndLine: 10, EndColumn: 2, Object: web, Path: "/spec", Source: "    image: nginx"},
		},
		Summary: lint.Summary{Files: 3, Objects: 3, Errors: 2, Warnings: 1, Infos: 1},
		Objects: []lint.ObjectRef{{File: odd, Object: dep}, {File: "web.yaml", Object: web}, {File: "web.yaml", Object: ok}},
	}
	opts := Options{
		BaseDir: sampleBase,
		Version: "1.2.3",
		Rules: map[string]RuleInfo{
			"parse-error": {ID: "parse-error", Title: "File is not valid YAML or JSON", Description: "The file cannot be parsed.",
				Remediation: "Fix the syntax.", Severity: lint.Error, HelpURI: "https://github.com/podlint/podlint/blob/main/docs/rules/parse-error.md", PerFile: true},
			"duplicate-key": {ID: "duplicate-key", Title: "Mapping key written twice", Description: "A key appears twice in one mapping.",
				Remediation: "Remove one of the entries.", Severity: lint.Error, HelpURI: "https://github.com/podlint/podlint/blob/main/docs/rules/duplicate-key.md", PerFile: true},
			"image-tag": {ID: "image-tag", Title: "Image without a pinned tag", Severity: lint.Warning},
		},
	}
	return r, opts
}

func render(t *testing.T, format string, r *lint.Result, opts Options) []byte {
	t.Helper()
	w, err := Lookup(format)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w(&buf, r, opts); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the sample's absolute paths are Unix paths")
	}
	empty := &lint.Result{Summary: lint.Summary{Files: 1, Objects: 1},
		Objects: []lint.ObjectRef{{File: "good.yaml", Object: manifest.Object{APIVersion: "v1", Kind: "Pod", Name: "good"}}}}
	for _, format := range Formats() {
		for _, tc := range []struct {
			name string
			r    *lint.Result
		}{{"findings", nil}, {"clean", empty}} {
			t.Run(format+"/"+tc.name, func(t *testing.T) {
				r, opts := sampleResult()
				if tc.r != nil {
					r = tc.r
				}
				got := render(t, format, r, opts)
				golden := filepath.Join("testdata", tc.name+"."+format+".golden")
				if *update {
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s output differs from %s (go test -update rewrites it):\n%s", format, golden, got)
				}
			})
		}
	}
}

// sarifSchema reads the SARIF 2.1.0 JSON schema that the SARIF library ships (as a Go string
// constant) from the module cache, so that the test checks the output against the published schema
// without keeping a copy of it in this repository.
func sarifSchema(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/owenrumney/go-sarif/v3").Output()
	if err != nil {
		t.Fatalf("locate the SARIF library: %v", err)
	}
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "pkg", "report", "v210", "sarif", "schema.go"))
	if err != nil {
		t.Fatalf("read the SARIF schema: %v", err)
	}
	start, end := bytes.IndexByte(src, '`'), bytes.LastIndexByte(src, '`')
	if start < 0 || end <= start {
		t.Fatal("no schema literal in the SARIF library's schema.go")
	}
	schema := string(src[start+1 : end])
	if !strings.Contains(schema, `"Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"`) {
		t.Fatal("the SARIF library's schema is not the SARIF 2.1.0 schema")
	}
	return schema
}

func TestSARIFMatchesSchema(t *testing.T) {
	schema := gojsonschema.NewStringLoader(sarifSchema(t))
	r, opts := sampleResult()
	cases := map[string][]byte{
		"findings": render(t, "sarif", r, opts),
		"empty":    render(t, "sarif", &lint.Result{}, Options{}),
	}
	// The check must be able to fail: a log without its required version is rejected.
	var broken map[string]any
	if err := json.Unmarshal(cases["findings"], &broken); err != nil {
		t.Fatal(err)
	}
	delete(broken, "version")
	for name, doc := range cases {
		res, err := gojsonschema.Validate(schema, gojsonschema.NewBytesLoader(doc))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, e := range res.Errors() {
			t.Errorf("%s: %s", name, e)
		}
		for _, p := range placeholders(t, doc) {
			t.Errorf("%s: %s", name, p)
		}
	}
	// The placeholder check must be able to fail too.
	if got := placeholders(t, []byte(`{"runs":[{"results":[],"x":{"index":-1,"list":[]}}]}`)); len(got) != 2 {
		t.Errorf("placeholders found %q in a log with two", got)
	}
	res, err := gojsonschema.Validate(schema, gojsonschema.NewGoLoader(broken))
	if err != nil {
		t.Fatal(err)
	}
	if res.Valid() {
		t.Error("a SARIF log without version passed the schema check")
	}
}

// placeholders lists the values in a SARIF log that say nothing: -1 (the "not set" of SARIF's
// indexes and offsets) and empty arrays, other than a run's results (where an empty list says the
// run found nothing).
func placeholders(t *testing.T, doc []byte) []string {
	t.Helper()
	var v any
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	var found []string
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(path+"/"+k, e)
			}
		case []any:
			if len(x) == 0 && !strings.HasSuffix(path, "/results") {
				found = append(found, path+" is an empty array")
			}
			for i, e := range x {
				walk(fmt.Sprintf("%s/%d", path, i), e)
			}
		case json.Number:
			if x.String() == "-1" {
				found = append(found, path+" is -1")
			}
		}
	}
	walk("", v)
	sort.Strings(found)
	return found
}

// sarifDoc is the part of SARIF the tests read back.
type sarifDoc struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Name    string `json:"name"`
				Version string `json:"version"`
				Rules   []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					HelpURI          string `json:"helpUri"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					FullDescription *struct {
						Text string `json:"text"`
					} `json:"fullDescription"`
					Help *struct {
						Text string `json:"text"`
					} `json:"help"`
					DefaultConfiguration *struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
						EndLine     int `json:"endLine"`
						EndColumn   int `json:"endColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

func TestSARIFContent(t *testing.T) {
	r, opts := sampleResult()
	var log sarifDoc
	if err := json.Unmarshal(render(t, "sarif", r, opts), &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "podlint" || run.Tool.Driver.Version != "1.2.3" {
		t.Errorf("driver %q %q", run.Tool.Driver.Name, run.Tool.Driver.Version)
	}
	var ids []string
	for _, d := range run.Tool.Driver.Rules {
		ids = append(ids, d.ID)
	}
	if got, want := strings.Join(ids, " "), "custom-policy duplicate-key image-tag parse-error"; got != want {
		t.Errorf("descriptors %q, want %q (the catalog plus rules that reported)", got, want)
	}
	for _, d := range run.Tool.Driver.Rules {
		if d.ShortDescription.Text == "" || d.Name == "" {
			t.Errorf("%s: no name or short description", d.ID)
		}
		if d.ID == "duplicate-key" {
			if d.Name != "DuplicateKey" || d.HelpURI != "https://github.com/podlint/podlint/blob/main/docs/rules/duplicate-key.md" ||
				d.FullDescription == nil || d.Help == nil || !strings.Contains(d.Help.Text, "Remove one") ||
				d.DefaultConfiguration == nil || d.DefaultConfiguration.Level != "error" {
				t.Errorf("duplicate-key descriptor incomplete: %+v", d)
			}
		}
		if d.ID == "custom-policy" && d.HelpURI != "" {
			t.Errorf("custom-policy has no documentation, but helpUri is %q", d.HelpURI)
		}
	}
	if len(run.Results) != len(r.Findings) {
		t.Fatalf("%d results for %d findings", len(run.Results), len(r.Findings))
	}
	for i, res := range run.Results {
		f := r.Findings[i]
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID || res.RuleID != f.Rule {
			t.Errorf("result %d: rule %q at index %d, finding rule %q", i, res.RuleID, res.RuleIndex, f.Rule)
		}
		loc := res.Locations[0].PhysicalLocation
		reg := loc.Region
		if reg.StartLine != f.Line || reg.StartColumn != f.Column || reg.EndLine != f.EndLine || reg.EndColumn != f.EndColumn {
			t.Errorf("result %d: region %+v, finding %d:%d-%d:%d", i, reg, f.Line, f.Column, f.EndLine, f.EndColumn)
		}
		if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || strings.HasPrefix(loc.ArtifactLocation.URI, "/") {
			t.Errorf("result %d: location %+v is not relative to the source root", i, loc.ArtifactLocation)
		}
		if res.Message.Text != f.Message {
			t.Errorf("result %d: message %q", i, res.Message.Text)
		}
	}
	levels := []string{run.Results[0].Level, run.Results[1].Level, run.Results[3].Level}
	if got := strings.Join(levels, " "); got != "error warning note" {
		t.Errorf("levels %q", got)
	}
	if uri := run.Results[1].Locations[0].PhysicalLocation.ArtifactLocation.URI; runtime.GOOS != "windows" && uri != "deploy/a,b:c%20100%25.yaml" {
		t.Errorf("absolute path not made relative and escaped: %q", uri)
	}
}

// TestSARIFResultDetails checks what a result carries beyond its place: related locations, fixes as
// replacements, and fingerprints that are distinct within the run and do not move with lines.
func TestSARIFResultDetails(t *testing.T) {
	r, opts := sampleResult()
	var log struct {
		Runs []struct {
			OriginalURIBaseIDs map[string]struct {
				URI string `json:"uri"`
			} `json:"originalUriBaseIds"`
			Results []struct {
				RuleID           string `json:"ruleId"`
				RelatedLocations []struct {
					ID               int `json:"id"`
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine, StartColumn, EndLine, EndColumn int
						} `json:"region"`
					} `json:"physicalLocation"`
					Message struct {
						Text string `json:"text"`
					} `json:"message"`
				} `json:"relatedLocations"`
				Fixes []struct {
					Description struct {
						Text string `json:"text"`
					} `json:"description"`
					ArtifactChanges []struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Replacements []struct {
							DeletedRegion struct {
								StartLine, StartColumn, EndLine, EndColumn int
							} `json:"deletedRegion"`
							InsertedContent struct {
								Text string `json:"text"`
							} `json:"insertedContent"`
						} `json:"replacements"`
					} `json:"artifactChanges"`
				} `json:"fixes"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(render(t, "sarif", r, opts), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if got := run.OriginalURIBaseIDs["%SRCROOT%"].URI; got != "file:///repo/" {
		t.Errorf("%%SRCROOT%% is %q, want file:///repo/", got)
	}
	dup, fixed := run.Results[2], run.Results[1]
	if len(dup.RelatedLocations) != 1 {
		t.Fatalf("duplicate-key result has %d related locations, want 1", len(dup.RelatedLocations))
	}
	rel := dup.RelatedLocations[0]
	if rel.ID != 1 || rel.PhysicalLocation.ArtifactLocation.URI != "web.yaml" || rel.PhysicalLocation.Region.StartLine != 4 ||
		rel.PhysicalLocation.Region.StartColumn != 3 || rel.PhysicalLocation.Region.EndColumn != 7 || rel.Message.Text != `first "name" key` {
		t.Errorf("related location %+v", rel)
	}
	if len(fixed.Fixes) != 1 || len(fixed.Fixes[0].ArtifactChanges) != 1 || len(fixed.Fixes[0].ArtifactChanges[0].Replacements) != 1 {
		t.Fatalf("fixes %+v, want one fix with one replacement", fixed.Fixes)
	}
	change := fixed.Fixes[0].ArtifactChanges[0]
	rep := change.Replacements[0]
	if fixed.Fixes[0].Description.Text != "write the replicas as a number" || change.ArtifactLocation.URI != "deploy/a,b:c%20100%25.yaml" ||
		rep.DeletedRegion.StartLine != 7 || rep.DeletedRegion.StartColumn != 13 || rep.DeletedRegion.EndLine != 7 ||
		rep.DeletedRegion.EndColumn != 16 || rep.InsertedContent.Text != "1" {
		t.Errorf("fix %+v", fixed.Fixes[0])
	}
	seen := map[string]bool{}
	for i, res := range run.Results {
		fp := res.PartialFingerprints["podlintFingerprint/v1"]
		if fp == "" || seen[fp] {
			t.Errorf("result %d (%s): fingerprint %q missing or repeated", i, res.RuleID, fp)
		}
		seen[fp] = true
	}
	// Moving every finding down ten lines keeps the fingerprints.
	moved, _ := sampleResult()
	for i := range moved.Findings {
		moved.Findings[i].Line += 10
		moved.Findings[i].EndLine += 10
	}
	if err := json.Unmarshal(render(t, "sarif", moved, opts), &log); err != nil {
		t.Fatal(err)
	}
	for i, res := range log.Runs[0].Results {
		if fp := res.PartialFingerprints["podlintFingerprint/v1"]; !seen[fp] {
			t.Errorf("result %d (%s): fingerprint %q changed when the lines moved", i, res.RuleID, fp)
		}
	}
}

func TestRelPath(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix paths")
	}
	for _, tc := range []struct{ file, base, want string }{
		{"web.yaml", "/repo", "web.yaml"},
		{"./deploy//web.yaml", "/repo", "deploy/web.yaml"},
		{"/repo/deploy/web.yaml", "/repo", "deploy/web.yaml"},
		{"/elsewhere/web.yaml", "/repo", "../elsewhere/web.yaml"},
		{"/repo/web.yaml", "", "/repo/web.yaml"},
		{"-", "/repo", "-"},
	} {
		if got := relPath(tc.file, tc.base); got != tc.want {
			t.Errorf("relPath(%q, %q) = %q, want %q", tc.file, tc.base, got, tc.want)
		}
	}
}

func TestGitHubEscaping(t *testing.T) {
	for _, tc := range []struct{ in, data, prop string }{
		{"plain", "plain", "plain"},
		{"50%", "50%25", "50%25"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"k: v, w", "k: v, w", "k%3A v%2C w"},
		{"%0A", "%250A", "%250A"},
	} {
		if got := escapeData(tc.in); got != tc.data {
			t.Errorf("escapeData(%q) = %q, want %q", tc.in, got, tc.data)
		}
		if got := escapeProperty(tc.in); got != tc.prop {
			t.Errorf("escapeProperty(%q) = %q, want %q", tc.in, got, tc.prop)
		}
	}
}

func TestGitHubCommands(t *testing.T) {
	r, opts := sampleResult()
	lines := strings.Split(strings.TrimRight(string(render(t, "github", r, opts)), "\n"), "\n")
	want := []string{
		"::error file=broken.yaml,line=3,col=1,title=parse-error::YAML does not parse: did not find expected key",
		"::warning file=deploy/a%2Cb%3Ac 100%25.yaml,line=7,col=9,endLine=7,endColumn=14,title=custom-policy::100%25 wrong:%0Asee line two, and | pipes (Deployment/api)",
		"::error file=web.yaml,line=5,col=3,endLine=5,endColumn=7,title=duplicate-key::duplicate key \"name\" (first at line 4): only this last value counts (Pod/default/web)",
		"::notice file=web.yaml,line=9,col=5,endLine=10,endColumn=2,title=custom-policy::a note (Pod/default/web)",
		"podlint: 2 errors, 1 warning, 1 info in 3 files (3 objects)",
	}
	if runtime.GOOS == "windows" {
		t.Skip("Unix paths")
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

type junitDoc struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Suites   []struct {
		Name  string `xml:"name,attr"`
		Tests int    `xml:"tests,attr"`
		Cases []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestJUnit(t *testing.T) {
	for _, tc := range []struct {
		name      string
		failLevel lint.Severity
		// cases lists "suite|object|rule|outcome" for every test case.
		cases    []string
		failures int
	}{
		{"every finding fails", 0, []string{
			"broken.yaml|(file)|duplicate-key|pass",
			"broken.yaml|(file)|parse-error|failure",
			"deploy/a,b:c 100%.yaml|(file)|duplicate-key|pass",
			"deploy/a,b:c 100%.yaml|(file)|parse-error|pass",
			"deploy/a,b:c 100%.yaml|Deployment/api|custom-policy|failure",
			"deploy/a,b:c 100%.yaml|Deployment/api|image-tag|pass",
			"web.yaml|(file)|duplicate-key|failure",
			"web.yaml|(file)|parse-error|pass",
			"web.yaml|Pod/default/web|custom-policy|failure",
			"web.yaml|Pod/default/web|image-tag|pass",
			"web.yaml|Pod/default/ok|image-tag|pass",
		}, 4},
		{"errors only fail", lint.Error, []string{
			"broken.yaml|(file)|duplicate-key|pass",
			"broken.yaml|(file)|parse-error|failure",
			"deploy/a,b:c 100%.yaml|(file)|duplicate-key|pass",
			"deploy/a,b:c 100%.yaml|(file)|parse-error|pass",
			"deploy/a,b:c 100%.yaml|Deployment/api|custom-policy|pass+output",
			"deploy/a,b:c 100%.yaml|Deployment/api|image-tag|pass",
			"web.yaml|(file)|duplicate-key|failure",
			"web.yaml|(file)|parse-error|pass",
			"web.yaml|Pod/default/web|custom-policy|pass+output",
			"web.yaml|Pod/default/web|image-tag|pass",
			"web.yaml|Pod/default/ok|image-tag|pass",
		}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if runtime.GOOS == "windows" {
				t.Skip("Unix paths")
			}
			r, opts := sampleResult()
			opts.FailLevel = tc.failLevel
			var doc junitDoc
			if err := xml.Unmarshal(render(t, "junit", r, opts), &doc); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range doc.Suites {
				for _, c := range s.Cases {
					outcome := "pass"
					if c.Failure != nil {
						outcome = "failure"
						if !strings.Contains(c.Failure.Text, s.Name+":") {
							t.Errorf("%s %s: failure text %q lacks the location", c.Classname, c.Name, c.Failure.Text)
						}
					} else if c.SystemOut != "" {
						outcome = "pass+output"
					}
					got = append(got, strings.Join([]string{s.Name, c.Classname, c.Name, outcome}, "|"))
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.cases, "\n") {
				t.Errorf("cases:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.cases, "\n"))
			}
			if doc.Tests != len(tc.cases) || doc.Failures != tc.failures {
				t.Errorf("tests=%d failures=%d, want %d and %d", doc.Tests, doc.Failures, len(tc.cases), tc.failures)
			}
		})
	}
}

// TestTextColor checks that colour is switched per run: on when asked, and off otherwise, whatever
// the colour library's global default.
func TestTextColor(t *testing.T) {
	r, opts := sampleResult()
	opts.Color = true
	if out := render(t, "text", r, opts); !bytes.Contains(out, []byte("\x1b[31;1merror")) {
		t.Errorf("colored output lacks a red error:\n%q", out)
	}
	opts.Color = false
	if out := render(t, "text", r, opts); bytes.Contains(out, []byte("\x1b[")) {
		t.Errorf("uncolored output has escape codes:\n%q", out)
	}
}

// A finding on a very long line shows a window of the line around its column, not the whole line.
func TestFrameWindow(t *testing.T) {
	line := strings.Repeat("ab", 5000) + "TARGET" + strings.Repeat("é", 5000)
	col := 10001
	got, c := frameWindow(line, col)
	if n := utf8.RuneCountInString(got); n > frameWidth+2 {
		t.Fatalf("window of %d characters", n)
	}
	if r := []rune(got); string(r[c-1:c+5]) != "TARGET" {
		t.Errorf("column %d in the window points at %q", c, string(r[c-1:c+5]))
	}
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") {
		t.Errorf("cut ends not marked: %q", got)
	}
	if got, c := frameWindow("short: line", 3); got != "short: line" || c != 3 {
		t.Errorf("short line changed: %q %d", got, c)
	}
	got, c = frameWindow(line, 3)
	if strings.HasPrefix(got, "…") || c != 3 || !strings.HasSuffix(got, "…") {
		t.Errorf("start of a long line: %q %d", got, c)
	}
}

// Walking on from the previous finding's window gives the same windows as starting afresh.
func TestLineCursorMatchesFreshWindows(t *testing.T) {
	line := strings.Repeat("日本x", 2000)
	var cur lineCursor
	for _, col := range []int{1, 50, 51, 300, 3000, 3001, 5999, 6000, 6001, 200} {
		f := lint.Finding{File: "a.json", Line: 1, Source: line}
		got, gc := cur.window(f, col)
		want, wc := frameWindow(line, col)
		if got != want || gc != wc {
			t.Errorf("column %d: cursor gives %q at %d, fresh %q at %d", col, got, gc, want, wc)
		}
	}
}

// Text lists a finding's related places, the first few of them, and counts the rest.
func TestTextRelated(t *testing.T) {
	f := lint.Finding{Rule: "selector-matches-nothing", Severity: lint.Warning, File: "svc.yaml", Line: 7, Column: 3, Message: "m"}
	for i := range 7 {
		f.Related = append(f.Related, lint.Location{File: "pods.yaml", Line: 10 * (i + 1), Column: 5, Message: fmt.Sprintf("pods of Deployment d%d", i)})
	}
	var buf bytes.Buffer
	if err := Text(&buf, &lint.Result{Findings: []lint.Finding{f}}, Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"see pods.yaml:10:5: pods of Deployment d0\n", "see pods.yaml:50:5: pods of Deployment d4\n", "and 2 more related places\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "d5") {
		t.Errorf("text output lists more than %d related places:\n%s", relatedShown, out)
	}
}
