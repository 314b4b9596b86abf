# METADATA
# title: A shell keeps SIGTERM from reaching the container's process
# description: |
#   To stop a container, Kubernetes sends SIGTERM to its main process, the one with process id 1,
#   waits for the grace period and then sends SIGKILL. When the command is a shell running a script
#   (`sh -c`, `bash -c`, `/bin/ash -c`...), that process is the shell. The kernel does not apply the
#   default action of a signal to process 1, and a shell that has not set a trap does nothing with
#   SIGTERM: it does not pass it on to the program it started. The program never learns that it
#   should stop, and every shutdown waits out the grace period and ends in SIGKILL, with the
#   program's work cut off.
#
#   The rule reports scripts of more than one command whose last long-running command, the process
#   the script is there to run, is not started with `exec` (which replaces the shell by the
#   program), and scripts that end by waiting for background jobs, by running a loop, or in a
#   pipeline, where the shell must stay.
#
#   Some shells hand over to a script's final command by themselves when nothing can follow it
#   and no trap is set: busybox ash always, after `;` and `&&` alike, and bash from version 5.1 on
#   when it is a plain command without redirections. dash never does, not even for a script of one
#   command. So `ash` scripts ending in a plain command are not reported, and such bash scripts
#   are reported at info level, since bash before 5.1 (RHEL 8 and older) keeps the shell.
#
#   `sh` is whatever shell the image installed as /bin/sh, and the rule reads it from the image
#   when it knows the image: busybox ash in the images of `ash_images` and in images whose tag
#   matches `ash_tags` (busybox, alpine, `python:3.12-alpine`), dash in the images of
#   `dash_images` (Debian, Ubuntu and the official images built on them: `python:3.12-slim`,
#   `node:22`, `nginx`). In a dash image even a script of one command without `exec` is reported,
#   since dash stays the parent of its only command. For other images `sh` is read as a POSIX shell
#   that may be either: scripts of several commands are reported, a single command is not. The
#   three lists are parameters of the rule: image repositories as multi-tier-pod reads them
#   (without registry, tag and digest; a pattern without a slash matches the last part, `*`
#   matches within one part), and globs over the tag. An `alpine` tag wins over the repository:
#   `python:3.12-alpine` is ash.
#
#   There is no finding when the last command is exec'd, when the script is a single simple
#   command in a shell that is not known to be dash, when the script traps TERM, when an init that
#   forwards signals (tini, dumb-init, catatonit) runs the shell, for ordinary init containers, and
#   for pods that run to completion: Jobs, CronJobs, and pods with restartPolicy Never or
#   OnFailure. podlint cannot see an image's own entrypoint: a shell given in `args` alone runs
#   under it. Findings point at the line of the script that holds the command the shell waits for.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
#     description: Termination of pods, SIGTERM and the grace period
#   - ref: https://www.gnu.org/software/bash/manual/html_node/Signals.html
#     description: How bash handles signals while it waits for a command
#   - ref: https://github.com/krallin/tini#why-tini
#     description: Why an init process is needed to forward signals
# custom:
#   id: signal-unsafe-entrypoint
#   severity: warning
#   remediation: |
#     Start the last command with `exec` (`setup && exec server`) so that it replaces the shell and
#     receives SIGTERM itself. When the shell has to stay (a loop, a pipeline, background jobs), run
#     it under an init that forwards signals (`tini -g --`, `dumb-init`), or trap TERM in the script
#     and stop the children from the trap (`trap 'kill -TERM $pid' TERM; server & pid=$!; wait $pid`).
#   params:
#     ash_images:
#       - busybox
#       - alpine
#     ash_tags:
#       - alpine
#       - alpine*
#       - "*-alpine"
#       - "*-alpine*"
#       - musl
#       - "*-musl"
#     dash_images:
#       - debian
#       - ubuntu
#       - buildpack-deps
#       - python
#       - node
#       - nginx
#       - httpd
#       - ruby
#       - golang
#       - php
#       - perl
#       - rust
#       - gcc
#       - eclipse-temurin
#       - postgres
#       - redis
#       - memcached
#       - mongo
#       - rabbitmq
#       - haproxy
#       - wordpress
package podlint.rules.signal_unsafe_entrypoint

import data.podlint.lib

_params := lib.params("signal-unsafe-entrypoint")

# _image_shell(image) is the shell an image installs as /bin/sh, when the parameters know the
# image: "ash" or "dash". A tag that names Alpine or musl wins over the repository.
_image_shell(image) := "ash" if {
	some pattern in object.get(_params, "ash_tags", [])
	glob.match(lower(pattern), null, _tag(image))
} else := "ash" if {
	podlint.image_matches(image, object.get(_params, "ash_images", []))
} else := "dash" if {
	podlint.image_matches(image, object.get(_params, "dash_images", []))
}

# _tag(image) is the tag of an image reference, lower case: what follows the last colon after the
# last slash, before any digest; "" when there is none.
_tag(image) := lower(regex.replace(name, `^.*:`, "")) if {
	name := regex.replace(image, `@.*$`, "")
	regex.match(`:[^/]*$`, name)
} else := ""

# _shell(c, cmd) is the shell that runs the script: sh is the image's, when the image is known.
_shell(c, cmd) := s if {
	cmd.shell == "sh"
	not "busybox" in cmd.wrappers
	is_string(c.container.image)
	s := _image_shell(c.container.image)
} else := "ash" if {
	"busybox" in cmd.wrappers
} else := cmd.shell

# _inits forward the signals they receive to the processes they run.
_inits := {"tini", "tini-static", "dumb-init", "catatonit"}

# _scripts lists each long-running container whose command is a shell script, with its parse and
# what keeps the shell busy.
_scripts := [x |
	some script in lib.running_scripts
	c := script.c
	not c.pod_completes # a pod that ends by itself is not stopped by SIGTERM in the normal course
	cmd := script.cmd
	not _under_init(cmd)
	not _traps_term(cmd.parsed)
	shell := _shell(c, cmd)
	_long_enough(shell, cmd.parsed)
	keeps := _keeps(cmd.parsed)
	not keeps.how in {"exec", "unknown"}
	x := {"c": c, "cmd": cmd, "shell": shell, "keeps": keeps, "in_place": _in_place(shell, cmd, keeps)}
]

# A script of one command is replaced by it in every shell but dash.
_long_enough(_, parsed) if count(parsed.commands) > 1

_long_enough("dash", _)

_under_init(cmd) if {
	some w in cmd.wrappers
	w in _inits
}

_traps_term(parsed) if {
	some t in parsed.traps
	"TERM" in t.signals
	not t.action in {"-", ""}
}

# _keeps(parsed) describes what the shell is busy with when the script's work is under way: the
# index of the command and how the shell runs it.
_keeps(parsed) := {"index": w, "how": "wait"} if {
	w := _last_wait(parsed)
	not _main_after(parsed, w)
} else := {"index": m, "how": _how(parsed, parsed.commands[m])} if {
	m := lib.script_main(parsed)
}

_main_after(parsed, i) if lib.script_main(parsed) > i

# _last_wait is the last wait in the foreground that has background jobs to wait for.
_last_wait(parsed) := max(waits) if {
	waits := {i |
		some i, cmd in parsed.commands
		cmd.program == "wait"
		not cmd.background
		not "function" in cmd.nested
		some j, bg in parsed.commands
		j < i
		bg.background
	}
	count(waits) > 0
}

_how(_, cmd) := "loop" if {
	lib.in_loop(cmd)
} else := "subshell" if {
	"subshell" in cmd.nested
} else := "pipeline" if {
	cmd.pipeline != 0
} else := "exec" if {
	cmd.exec
} else := "unknown" if {
	cmd.program == "eval"
} else := "child"

deny contains finding if {
	some x in _scripts
	x.in_place == "no"
	finding := {
		"msg": sprintf("the %s script of %s %s: %s stays process 1 and ignores SIGTERM, so every shutdown waits for the grace period and ends in SIGKILL", [x.cmd.shell, x.c.label, _what(x.cmd.parsed, x.keeps), _which(x)]),
		"path": lib.argv_path(x.c, x.cmd.script_index),
		"line": x.cmd.parsed.commands[x.keeps.index].line,
	}
}

# _which(x) names the shell in a message, and says where podlint learnt it when the image told.
_which(x) := sprintf("sh in %s is dash, which", [x.c.container.image]) if {
	x.cmd.shell == "sh"
	x.shell == "dash"
} else := "the shell"

# Several shells run the last command of a -c script in place of themselves when nothing can
# follow it: busybox ash always (also inside if and case), bash from 5.1 on when the command is a
# plain top-level command without redirections, both only when no trap is set. dash, the sh of
# Debian and Ubuntu images, never does.
_final(parsed, keeps) if {
	keeps.how in {"child", "subshell"}
	keeps.index == count(parsed.commands) - 1
	count(parsed.traps) == 0
}

# _in_place(shell, cmd, keeps) tells whether the shell hands over to the command that keeps it
# busy: "yes" for busybox ash, "maybe" for bash (5.1 and later do, older versions do not: the image
# decides), "no" otherwise.
_in_place(shell, cmd, keeps) := "yes" if {
	shell == "ash"
	_final(cmd.parsed, keeps)
} else := "maybe" if {
	shell in {"bash", "rbash"}
	keeps.how == "child"
	_final(cmd.parsed, keeps)
	main := cmd.parsed.commands[keeps.index]
	main.top_level
	count(main.redirects) == 0
} else := "no"

deny contains finding if {
	some x in _scripts
	x.in_place == "maybe"
	finding := {
		"msg": sprintf("the %s script of %s %s: bash 5.1 and later run a script's last command in place of the shell, but older versions (RHEL 8 and before) stay process 1 and ignore SIGTERM, so every shutdown ends in SIGKILL", [x.cmd.shell, x.c.label, _what(x.cmd.parsed, x.keeps)]),
		"path": lib.argv_path(x.c, x.cmd.script_index),
		"line": x.cmd.parsed.commands[x.keeps.index].line,
		"severity": "info",
	}
}

_what(parsed, keeps) := sprintf("waits for %s started in the background", [concat(", ", _background(parsed, keeps.index))]) if {
	keeps.how == "wait"
} else := sprintf("runs %s inside a %s loop of its own", [_name(parsed.commands[keeps.index]), lib.loop_kind(parsed.commands[keeps.index])]) if {
	keeps.how == "loop"
} else := sprintf("runs %s in a subshell", [_name(parsed.commands[keeps.index])]) if {
	keeps.how == "subshell"
} else := sprintf("runs the pipeline %s", [concat(" | ", [_name(c) | some c in lib.pipeline_members(parsed, parsed.commands[keeps.index])])]) if {
	keeps.how == "pipeline"
} else := sprintf("starts %s without exec", [_name(parsed.commands[keeps.index])])

_background(parsed, before) := sort({_name(cmd) |
	some i, cmd in parsed.commands
	i < before
	cmd.background
})

# _name is how a message calls a command: its program, or its first word when only wrappers or
# expansions are there.
_name(cmd) := cmd.program if {
	cmd.program != ""
} else := cmd.name
