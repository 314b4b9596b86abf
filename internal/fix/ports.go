package fix

import (
	"fmt"
	"strings"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
)

// serviceNames are the IANA service names of well-known TCP ports, for naming an unnamed
// containerPort. Only ports whose service is beyond doubt are here; each name is a valid port name
// (at most 15 characters, lower case letters, digits and inner dashes, at least one letter).
var serviceNames = map[int64]string{
	21:    "ftp",
	22:    "ssh",
	25:    "smtp",
	80:    "http",
	110:   "pop3",
	143:   "imap",
	389:   "ldap",
	443:   "https",
	587:   "submission",
	636:   "ldaps",
	993:   "imaps",
	995:   "pop3s",
	1433:  "ms-sql-s",
	2049:  "nfs",
	3306:  "mysql",
	5432:  "postgresql",
	5671:  "amqps",
	5672:  "amqp",
	6379:  "redis",
	11211: "memcache",
	27017: "mongodb",
}

// portNameFix names an unnamed containerPort after its well-known service (80 http, 5432
// postgresql), when the name is unique within the pod: no port of the pod has it, and no other
// unnamed port of the pod would get it too.
func portNameFix(doc *manifest.Document, is lint.Issue) []lint.Fix {
	return portNameProposal(doc, is).fixes()
}

func portNameProposal(doc *manifest.Document, is lint.Issue) *proposal {
	n := len(is.Path)
	if n < 3 || is.Path[n-1] != "containerPort" || is.Path[n-3] != "ports" {
		return nil
	}
	portPath := is.Path[:n-1]
	name, ok := wellKnownName(doc, portPath)
	if !ok {
		return nil
	}
	spec, ok := podSpecOf(doc, portPath)
	if !ok {
		return nil
	}
	// every port of the pod: the name must be free, and this must be the only port that would take it
	sv, _ := manifest.Get(doc.Value, spec)
	specMap, _ := sv.(map[string]any)
	claims := 0
	for _, field := range []string{"containers", "initContainers", "ephemeralContainers"} {
		list, _ := specMap[field].([]any)
		for _, c := range list {
			cm, _ := c.(map[string]any)
			ports, _ := cm["ports"].([]any)
			for _, p := range ports {
				pm, _ := p.(map[string]any)
				if pn, has := pm["name"]; has && pn != nil {
					if pn == name {
						return nil
					}
					continue
				}
				if number, ok := pm["containerPort"].(int64); ok && serviceNames[number] == name {
					claims++
				}
			}
		}
	}
	if claims != 1 {
		return nil
	}
	pv, _ := manifest.Get(doc.Value, portPath)
	want, ok := manifest.With(doc.Value, portPath.Append("name"), name)
	if !ok || pv == nil {
		return nil
	}
	e, ok := doc.InsertFirst(portPath, "name", name)
	if !ok {
		return nil
	}
	return verified(doc, fmt.Sprintf("name the port %s", name), want, e)
}

// wellKnownName is the service name of the unnamed TCP port at p, if it has one.
func wellKnownName(doc *manifest.Document, p manifest.Path) (string, bool) {
	v, _ := manifest.Get(doc.Value, p)
	m, ok := v.(map[string]any)
	if !ok {
		return "", false
	}
	if _, named := m["name"]; named {
		return "", false
	}
	// TCP, also when written in the wrong case (its own fix, in the same round, makes it TCP)
	if proto, has := m["protocol"]; has {
		if p, ok := proto.(string); !ok || !strings.EqualFold(p, "TCP") {
			return "", false
		}
	}
	number, ok := m["containerPort"].(int64)
	if !ok {
		return "", false
	}
	name, ok := serviceNames[number]
	return name, ok
}

// podSpecOf is the pod spec that holds the value at p.
func podSpecOf(doc *manifest.Document, p manifest.Path) (manifest.Path, bool) {
	for _, pod := range doc.Pods {
		if len(p) > len(pod.Spec) && pod.Spec.Pointer() == p[:len(pod.Spec)].Pointer() {
			return pod.Spec, true
		}
	}
	return nil, false
}
