package cli

import (
	"flag"

	"github.com/podlint/podlint/internal/config"
)

// helmFlags are the flags `helm template` users reach for; they apply to every chart of the run, over
// the configuration's helm settings.
type helmFlags struct {
	values      stringList
	set         stringList
	setString   stringList
	releaseName string
	namespace   string
	kubeVersion string
}

func (h *helmFlags) register(fs *flag.FlagSet) {
	fs.Var(&h.values, "values", "render Helm charts with the values in `FILE` too (repeatable; later files win)")
	fs.Var(&h.set, "set", "set a Helm chart value, as helm does: `KEY=VALUE` (repeatable)")
	fs.Var(&h.setString, "set-string", "set a Helm chart value as a string: `KEY=VALUE` (repeatable)")
	fs.StringVar(&h.releaseName, "release-name", "", "render Helm charts as release `NAME` (default release)")
	fs.StringVar(&h.namespace, "namespace", "", "render Helm charts into `NAMESPACE` (default default)")
	fs.StringVar(&h.kubeVersion, "kube-version", "", "Kubernetes `VERSION` charts see in .Capabilities (default: the embedded schema's)")
}

func (h *helmFlags) settings() *config.Helm {
	return &config.Helm{Values: h.values, Set: h.set, SetString: h.setString,
		ReleaseName: h.releaseName, Namespace: h.namespace, KubeVersion: h.kubeVersion}
}
