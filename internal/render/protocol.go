// Package render is the contract between podlint and podlint-render, the companion binary that
// renders Helm charts and builds kustomizations. The two talk over pipes: podlint writes one Request
// as JSON to the renderer's standard input, and the renderer writes one Result per job, as JSON
// lines, to its standard output, in the order of the jobs.
//
// This package holds only the types and the code to run the renderer; it imports no Helm or
// kustomize code, so that podlint's own start-up never pays for them. The rendering itself lives in
// the packages below cmd/podlint-render.
package render

// Protocol is the version of this contract. The renderer refuses a request of another version, so a
// podlint and a podlint-render from different releases fail with a clear message, not a wrong result.
const Protocol = 1

// Job kinds.
const (
	KindHelm      = "helm"
	KindKustomize = "kustomize"
)

// Request is everything podlint asks of one renderer run.
type Request struct {
	Protocol int   `json:"protocol"`
	Jobs     []Job `json:"jobs"`
}

// Job is one chart to render or one kustomization to build.
type Job struct {
	Kind string `json:"kind"`
	// Dir is the chart's folder (the one holding Chart.yaml) or the kustomization's folder, as podlint
	// names it (relative to podlint's working directory, or absolute).
	Dir string `json:"dir"`
	// Helm only.
	Helm *HelmOptions `json:"helm,omitempty"`
}

// HelmOptions are the inputs of a chart's rendering beyond the chart itself.
type HelmOptions struct {
	// ReleaseName is .Release.Name ("release" when empty).
	ReleaseName string `json:"releaseName,omitempty"`
	// Namespace is .Release.Namespace ("default" when empty).
	Namespace string `json:"namespace,omitempty"`
	// KubeVersion is .Capabilities.KubeVersion, such as "v1.37.2" (the embedded schema's version when
	// empty).
	KubeVersion string `json:"kubeVersion,omitempty"`
	// ValuesFiles are merged over the chart's values.yaml, in order, the later winning.
	ValuesFiles []string `json:"valuesFiles,omitempty"`
	// Set are --set values (key=value, with Helm's syntax for paths and lists), applied last.
	Set []string `json:"set,omitempty"`
	// SetString are --set-string values: like Set, but every value is a string.
	SetString []string `json:"setString,omitempty"`
}

// Result is the outcome of one job.
type Result struct {
	// Job is the index of the job in the request.
	Job int `json:"job"`
	// Outputs are the rendered files (Helm: one per template that rendered to something) or the
	// built resources (kustomize: one per resource), in a stable order.
	Outputs []Output `json:"outputs,omitempty"`
	// Problems are what kept the job, or part of it, from rendering: a template that fails, a
	// missing dependency, a kustomization that does not build, a remote base. Each is a finding.
	Problems []Problem `json:"problems,omitempty"`
	// Uses lists every file the job read (kustomize: the kustomization files, resources, patches and
	// components, as paths podlint can open), so that podlint does not lint them again on their own
	// and knows which kustomizations other kustomizations use.
	Uses []string `json:"uses,omitempty"`
}

// Output is one rendered piece of YAML.
type Output struct {
	// Text is the rendered YAML: one template's output (possibly several documents), or one resource.
	Text string `json:"text"`

	// Helm: Template is the file the text was rendered from, a path podlint can open
	// (Dir/templates/deployment.yaml, Dir/charts/redis/templates/x.yaml for an unpacked dependency).
	// Archive is set instead of a readable Template when the template sits in a packaged dependency
	// (Dir/charts/redis-1.2.3.tgz): its name inside the archive is then in Template.
	Template string `json:"template,omitempty"`
	Archive  string `json:"archive,omitempty"`

	// Kustomize: Origin is the file the resource was read from (a path podlint can open), and
	// OriginIndex the index of its YAML document in that file, counted from 0 (-1 when not known,
	// and for a generated resource).
	// Empty for a resource a generator made (configMapGenerator, ...), with Generator naming the
	// kustomization file that declared it.
	Origin      string `json:"origin,omitempty"`
	OriginIndex int    `json:"originIndex,omitempty"`
	Generator   string `json:"generator,omitempty"`
	// Patches are the patches that may have changed the resource, in the order kustomize applied them.
	Patches []Patch `json:"patches,omitempty"`
	// Namespace is the namespace the kustomization set on the resource, if any.
	Namespace string `json:"namespace,omitempty"`
}

// Patch is one patch a kustomization applies.
type Patch struct {
	// File is the patch's file, or the kustomization file for an inline patch.
	File string `json:"file"`
	// Line is, for an inline patch, the line of the kustomization file where its text starts. A patch
	// file holding several strategic merge patches (YAML documents) gives one Patch per document, with
	// Text that document alone and Line the line where it starts in File.
	Line int `json:"line,omitempty"`
	// Text is the patch as kustomize read it: a strategic merge patch (YAML object) or a JSON 6902
	// patch (a list of operations).
	Text string `json:"text"`
	// JSON6902 is true for a list of operations.
	JSON6902 bool `json:"json6902,omitempty"`
}

// Problem is a failure to render, placed at a file and line when the renderer can tell. Line and
// Column count from 1; 0 means not known. A problem inside a packaged dependency is placed on the
// archive, its message starting with the name inside the archive and the line.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
}
