# METADATA
# title: The container writes its log to a file instead of standard output
# description: |
#   Kubernetes collects what a container's main process writes to standard output and standard
#   error: that is what `kubectl logs` shows, what the kubelet rotates, and what the cluster's log
#   agents ship. A log written to a file inside the container is seen by none of them; it fills the
#   container's disk and disappears with the container.
#
#   The rule reads `sh -c` scripts and reports the process the script is there to run (its last
#   long-running command) when its output goes to a file: `> /var/log/app.log`, `>>`, `2>`, `&>`,
#   or an `exec > file` that sends all later output there. Redirections to /dev/stdout, /dev/stderr
#   and /proc/1/fd/1 or 2 (or /proc/self/fd/...) are fine, and so are redirections of setup steps
#   before the main process and `| tee FILE`, which keeps a copy on standard output. When the
#   script's work is a loop (`while true; do echo ... >> /var/log/app.log; sleep 5; done`), a
#   command of the loop that appends (`>>`, `&>>`) to a log file (under /var/log, ending in `.log`,
#   or in a folder named `log` or `logs`) is reported too. A file overwritten each round (`date >
#   /tmp/alive`) holds a state, and other files a loop appends to may be data: both are left alone. Findings point at
#   the script line that holds the redirection. In pods that run to completion (Jobs, CronJobs,
#   restartPolicy Never or OnFailure) only redirections of standard error count, since a task's
#   standard output is often the data it produces; ordinary init containers are setup steps and
#   are not checked.
#
#   Options that point a program's log at a file (`--log-file=PATH`, `--logfile PATH`,
#   `--log_dir=PATH` and the like) in the command or args are reported at info level, unless the
#   value is `-` or a standard stream, or the command also has `--logtostderr` or
#   `--alsologtostderr`. `--logdir` is left alone: TensorBoard and others read data from it.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/cluster-administration/logging/
#     description: Logging architecture in Kubernetes
#   - ref: https://12factor.net/logs
#     description: Treat logs as event streams
# custom:
#   id: log-to-file
#   severity: warning
#   remediation: |
#     Let the process write to standard output and standard error: drop the redirection, or point
#     it at /dev/stdout or /proc/1/fd/1, or keep a copy with `| tee FILE`. For a program that only
#     logs to a file, give it `-` or /dev/stdout as the file, or run a sidecar that tails the file to
#     its own standard output.
package podlint.rules.log_to_file

import data.podlint.lib

# _scripts lists the scripts whose main process podlint checks: {c, cmd, completes, main}, main
# being the index of the main command in cmd.parsed.commands.
_scripts := [x |
	some script in lib.running_scripts
	c := script.c
	m := lib.script_main(script.cmd.parsed)
	x := {"c": c, "cmd": script.cmd, "completes": c.pod_completes, "main": m}
]

# A target that is not a file: a standard stream, another device, or a descriptor of process 1.
_not_a_file(target) if {
	startswith(target, "/dev/")
	not startswith(target, "/dev/shm/")
}

_not_a_file(target) if regex.match(`^/proc/[^/]+/fd/[0-9]+$`, target)

_not_a_file("")

# A target that is only a variable could be anything, /dev/stdout included.
_not_a_file(target) if regex.match(`^"?\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*|\([A-Za-z_][A-Za-z0-9_]*\))"?$`, target)

# _streams(r) is the set of standard streams a redirection sends to its target.
_streams(r) := {"stdout"} if {
	r.op in {">", ">>", ">|"}
	r.fd in {"", "1"}
} else := {"stderr"} if {
	r.op in {">", ">>", ">|"}
	r.fd == "2"
} else := {"stdout", "stderr"} if {
	r.op in {"&>", "&>>"}
} else := {"stdout", "stderr"} if {
	r.op == ">&" # >&file, in bash: both streams, unless the target is a descriptor
	r.fd == ""
	not regex.match(`^([0-9]+|-)$`, r.target)
} else := set()

# _to_file(r, completes) is true for a redirection of the main output to a file. A task that runs
# to completion may write its result to standard output, so there only standard error counts.
_to_file(r, completes) if {
	streams := _streams(r)
	count(streams) > 0
	not _not_a_file(r.target)
	_counts(streams, completes)
}

_counts(_, false)

_counts(streams, true) if "stderr" in streams

# _script_sites maps the index of each script in _scripts to where its main output goes to files:
# {target, line, loop}, line being the script line of the command with the redirection. That is the
# main command's pipeline and the bare `exec >file` commands before it; and when the main command
# runs in a loop, every command of that loop that appends to a log file (a loop that logs each
# round; a file overwritten each round holds a state, such as a heartbeat, not a log).
_script_sites[i] := sites if {
	some i, x in _scripts
	m := x.main
	parsed := x.cmd.parsed
	main := parsed.commands[m]
	direct := [{"target": r.target, "line": cmd.line, "loop": false} |
		some cmd in array.concat(lib.pipeline_members(parsed, main), _exec_redirects_before(parsed, m))
		some r in cmd.redirects
		_to_file(r, x.completes)
	]
	looped := [{"target": r.target, "line": cmd.line, "loop": true} |
		main.loop != 0
		some cmd in parsed.commands
		cmd.loop == main.loop
		not cmd.background
		some r in cmd.redirects
		r.op in {">>", "&>>"}
		_log_file(r.target)
		_to_file(r, x.completes)
	]
	sites := array.concat(direct, looped)
	count(sites) > 0
}

# _log_file(target) is true for a file that its name calls a log: under /var/log, ending in .log,
# or with a part named log or logs. A loop that appends to another file may be collecting data.
_log_file(target) if regex.match(`(?i)(^|/)var/log/|\.log$|(^|[/._-])logs?([/._-]|$)`, target)

# _exec_redirects_before lists the bare `exec >file` commands before index m: they send the
# output of everything after them to the file.
_exec_redirects_before(parsed, m) := [cmd |
	some i, cmd in parsed.commands
	i < m
	cmd.name == "exec"
	count(cmd.args) == 0
	not "function" in cmd.nested
]

deny contains finding if {
	some i, sites in _script_sites
	x := _scripts[i]
	main := x.cmd.parsed.commands[x.main]
	targets := {s.target | some s in sites}
	finding := {
		"msg": sprintf("the %s script of %s %s to %s: kubectl logs and the cluster's log collection do not see it", [x.cmd.shell, x.c.label, _what(main, sites), concat(", ", sort(targets))]),
		"path": lib.argv_path(x.c, x.cmd.script_index),
		"line": min({s.line | some s in sites}),
	}
}

# _what says whose output goes to the file: the main command's, or a loop's when only the loop
# around it writes there.
_what(main, sites) := sprintf("sends the output of %s", [_name(main)]) if {
	some s in sites
	not s.loop
} else := sprintf("runs a %s loop that appends its output", [lib.loop_kind(main)])

_name(cmd) := cmd.program if {
	cmd.program != ""
} else := cmd.name

# Options that name a log file or a log folder.
_log_options := {
	"log-file", "log_file", "logfile", "log-dir", "log_dir", "log-path", "log_path", "logpath",
	"access-logfile", "error-logfile",
}

# Options after which the program logs to standard error anyway.
_to_stderr := {"-logtostderr", "--logtostderr", "-logtostderr=true", "--logtostderr=true", "-alsologtostderr", "--alsologtostderr", "-alsologtostderr=true", "--alsologtostderr=true"}

# _log_option(words, i) is {option, value} when words[i] sets a log file or folder:
# --option=value, -option=value, or the option and its value as two words.
_log_option(words, i) := {"option": name, "value": value} if {
	startswith(words[i], "-")
	parts := split(trim_left(words[i], "-"), "=")
	count(parts) > 1
	name := parts[0]
	_log_options[name]
	value := substring(words[i], count(name) + indexof(words[i], name) + 1, -1)
} else := {"option": name, "value": words[i + 1]} if {
	startswith(words[i], "-")
	name := trim_left(words[i], "-")
	_log_options[name]
	i + 1 < count(words)
	is_string(words[i + 1])
	not _option_like(words[i + 1])
}

# A word that starts with a dash is an option, except - alone (standard output).
_option_like(w) if {
	startswith(w, "-")
	w != "-"
}

_stream_value(v) if v in {"", "-", "stdout", "stderr"}

_stream_value(v) if _not_a_file(v)

# _file_options lists {index, option, value} for the options of words that log to a file.
_file_options(words) := [o |
	some i, w in words
	is_string(w)
	contains(w, "log")
	opt := _log_option(words, i)
	not _stream_value(opt.value)
	not _logs_to_stderr(words)
	o := object.union(opt, {"index": i})
]

_logs_to_stderr(words) if {
	some w in words
	w in _to_stderr
}

# Options on the command line itself point at their element.
deny contains finding if {
	some c in lib.containers
	contains(json.marshal(c.argv), "log") # one cheap test before looking at each word
	not c.init
	c.field != "ephemeralContainers"
	some o in _file_options(c.argv)
	finding := {
		"msg": sprintf("%s writes its log to %s (--%s): kubectl logs and the cluster's log collection do not see it", [c.label, o.value, o.option]),
		"path": lib.argv_path(c, o.index),
		"severity": "info",
	}
}

# Options of the main process of a script point at the script.
deny contains finding if {
	some x in _scripts
	main := x.cmd.parsed.commands[x.main]
	some o in _file_options(main.args)
	finding := {
		"msg": sprintf("the %s script of %s runs %s, which writes its log to %s (--%s): kubectl logs and the cluster's log collection do not see it", [x.cmd.shell, x.c.label, _name(main), o.value, o.option]),
		"path": lib.argv_path(x.c, x.cmd.script_index),
		"line": main.line,
		"severity": "info",
	}
}
