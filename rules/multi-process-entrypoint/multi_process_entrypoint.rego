# METADATA
# title: A container starts more than one long-running process
# description: |
#   A container is meant to run one main process: the kubelet restarts the container when that
#   process exits, and its output is the container's log. When the command starts several
#   long-running processes, through a shell script that puts one in the background (`a & b`,
#   `a & b; wait`) or through a process supervisor (supervisord, runsvdir, s6-svscan, pm2, foreman,
#   honcho, concurrently, run-p, circusd, my_init and the like), a crash of one of them goes
#   unnoticed, their logs interleave, and they can only be scaled and updated together.
#
#   The rule reads the command and args, looks through init wrappers (tini, dumb-init, env, exec,
#   gosu, su-exec), and parses `sh -c` and `bash -c` scripts in their own dialect. `a && b`,
#   `a; exec b` and a quoted `&` run one process at a time and are fine, and so is a single process
#   started in the background and waited for (`server & wait`).
#
#   Some programs put themselves in the background and return, so the script goes on to start the
#   next one: `php-fpm -D`, `redis-server --daemonize yes`, `sshd` without `-D`, `crond` or `cron`
#   without `-f`, and `nginx` without `daemon off` in its `-g` directives. Such a program followed
#   by another long-running one is reported as a background job would be. Findings point at the
#   script line of the first process that keeps running beside the others.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/workloads/pods/#how-pods-manage-multiple-containers
#     description: How pods group several containers, each with its own process
#   - ref: https://docs.docker.com/engine/containers/multi-service_container/
#     description: Why one service per container, and what a supervisor changes
# custom:
#   id: multi-process-entrypoint
#   severity: warning
#   remediation: |
#     Run each long-running process in a container of its own, in the same pod when they must share
#     the network or a volume (a sidecar), and let Kubernetes restart and log each one. Keep shell
#     wrappers for setup only and end them with `exec` of the one main process.
package podlint.rules.multi_process_entrypoint

import data.podlint.lib

# supervisors start and watch several processes.
supervisors := {
	"supervisord", "runsvdir", "runit", "s6-svscan", "pm2", "pm2-runtime", "pm2-docker",
	"foreman", "forego", "honcho", "overmind", "hivemind", "goreman", "concurrently", "run-p",
	"circusd", "my_init", "multirun", "chaperone", "systemd",
}

# _supervisor is true for a supervisor, and for npm-run-all running scripts in parallel.
_supervisor(cmd) if supervisors[cmd.program]

_supervisor(cmd) if {
	cmd.program == "npm-run-all"
	some a in cmd.args
	a in {"-p", "--parallel"}
}

# Commands that finish quickly, or only wait: after a background job they add no second process.
_short := {
	"", ":", "[", "alias", "cat", "cd", "chmod", "chown", "cp", "date", "declare", "echo", "envsubst",
	"exit", "export", "false", "hostname", "id", "kill", "ln", "local", "ls", "mkdir", "mv", "printf",
	"pwd", "read", "readonly", "return", "rm", "sed", "set", "shift", "sync", "test", "touch", "trap",
	"true", "typeset", "ulimit", "umask", "unset", "wait", "whoami",
}

# A sleep keeps the shell alive for good only when it is told to sleep forever.
_forever := {"infinity", "inf", "Infinity"}

_long_running(cmd) if {
	some kind in cmd.nested
	kind in {"while", "until"}
}

_long_running(cmd) if {
	not _short[cmd.program]
	cmd.program != "sleep"
}

_long_running(cmd) if {
	cmd.program == "sleep"
	some a in cmd.args
	_forever[a]
}

# _lines holds each container's command line, analysed; _scripts those that run sh -c.
_lines := [x |
	some c in lib.containers
	x := {"c": c, "cmd": c.command}
]

_scripts := [x |
	some x in _lines
	x.cmd.parsed
]

deny contains finding if {
	some x in _lines
	_supervisor(x.cmd)
	finding := {
		"msg": sprintf("%s runs %s, a process supervisor that keeps several long-running processes in one container", [x.c.label, x.cmd.program]),
		"path": lib.argv_path(x.c, x.cmd.index),
	}
}

# _script_supervisors maps the index of each script in _scripts to the supervisors it runs.
_script_supervisors[i] := programs if {
	some i, x in _scripts
	programs := {cmd.program | some cmd in x.cmd.parsed.commands; _supervisor(cmd)}
	count(programs) > 0
}

deny contains finding if {
	some i, programs in _script_supervisors
	x := _scripts[i]
	finding := {
		"msg": sprintf("the %s script of %s runs %s, a process supervisor that keeps several long-running processes in one container", [x.cmd.shell, x.c.label, concat(", ", sort(programs))]),
		"path": lib.argv_path(x.c, x.cmd.script_index),
	}
}

# _daemon(cmd) is a reason when cmd is a program that daemonizes itself: it forks into the
# background and returns, so the script goes on to the next command while it runs.
_daemon(cmd) := "-D" if {
	startswith(cmd.program, "php-fpm")
	some a in cmd.args
	a in {"-D", "--daemonize"}
} else := "--daemonize yes" if {
	cmd.program in {"redis-server", "valkey-server", "redis-sentinel"}
	some i, a in cmd.args
	a == "--daemonize"
	lower(cmd.args[i + 1]) == "yes"
} else := "without -D" if {
	cmd.program == "sshd"
	not _has_any(cmd.args, {"-D", "-d", "-t", "-T", "-V"})
	not _flag_letter(cmd.args, "D")
} else := "without -f" if {
	cmd.program in {"crond", "cron"}
	not _has_any(cmd.args, {"-f", "-n", "-V", "--help"})
	not _flag_letter(cmd.args, "f")
	not _flag_letter(cmd.args, "n")
} else := "without daemon off" if {
	cmd.program == "nginx"
	not _has_any(cmd.args, {"-s", "-t", "-T", "-v", "-V", "-h", "-?"})
	not _nginx_foreground(cmd.args)
}

_has_any(args, set) if {
	some a in args
	a in set
}

# _flag_letter(args, l) is true when a word of joined single-letter flags holds l (-fd, -lf).
_flag_letter(args, l) if {
	some a in args
	regex.match(`^-[A-Za-z]+$`, a)
	contains(a, l)
}

_nginx_foreground(args) if {
	some a in args
	regex.match(`daemon\s+off`, a)
}

# _daemons is the set of the indexes of the commands of a script that daemonize themselves, in the
# foreground of the script (one in the background is a background job already), and that another
# long-running command follows. The last one of a script is left alone: nothing runs beside it,
# and its configuration file may keep it in the foreground (`daemon off;` in nginx.conf).
_daemons(commands) := {i |
	some i, cmd in commands
	not cmd.background
	not cmd.exec
	not "function" in cmd.nested
	_daemon(cmd)
	some j, next in commands
	j > i
	not next.background
	_long_running(next)
}

deny contains finding if {
	some i, x in _scripts
	not _script_supervisors[i]
	commands := x.cmd.parsed.commands
	jobs := {cmd.job | some cmd in commands; cmd.background}
	daemons := _daemons(commands)
	count(jobs) + count(daemons) > 0
	starts := {i | some i, cmd in commands; cmd.background} | daemons
	first := min(starts)
	foreground := [cmd.program |
		some i, cmd in commands
		i > first
		not cmd.background
		not i in daemons
		_long_running(cmd)
	]
	count(jobs) + count(daemons) + min([count(foreground), 1]) >= 2
	background := [_job_name(commands, j) | some j in jobs]
	daemonized := [sprintf("%s daemonizes itself (%s)", [commands[d].program, _daemon(commands[d])]) | some d in sort(daemons)]
	finding := {
		"msg": sprintf("the %s script of %s starts more than one long-running process: %s", [x.cmd.shell, x.c.label, _summary(background, daemonized, foreground)]),
		"path": lib.argv_path(x.c, x.cmd.script_index),
		"line": commands[first].line,
	}
}

# A job is named after its first command that is not a quick step (cd /srv && ./run.py & runs
# run.py in the background), or its first command when all are.
_job_name(commands, j) := name if {
	members := [cmd.program | some cmd in commands; cmd.job == j]
	work := [p | some p in members; not lib.quick_programs[p]]
	name := _or_subshell(array.concat(work, members)[0])
}

_or_subshell(program) := "a subshell" if {
	program == ""
} else := program

_summary(background, daemonized, foreground) := concat(", then ", array.concat(_started(background, daemonized), array.slice(foreground, 0, 1)))

_started(background, daemonized) := array.concat(bg, daemonized) if {
	count(background) > 0
	bg := [sprintf("%s in the background with &", [concat(", ", sort(background))])]
} else := daemonized
