# Helpers for rules that read the scripts of `sh -c` command lines, as the podlint.parse_command
# and podlint.parse_shell builtins describe them. (The package's METADATA is in pods.rego.)
package podlint.lib

# quick_programs finish quickly: setup steps, tests and shell builtins. They are never the process a
# script exists to run. wait is here too; rules that care about it look for it themselves.
quick_programs := {
	"", ".", ":", "[", "addgroup", "adduser", "alias", "basename", "cat", "cd", "chgrp", "chmod",
	"chown", "cp", "cut", "date", "declare", "dirname", "echo", "envsubst", "exit", "export",
	"expr", "false", "getent", "grep", "groupadd", "head", "hostname", "id", "install", "kill", "let",
	"ln", "local", "ls", "mkdir", "mktemp", "mv", "printenv", "printf", "pwd", "read", "readlink",
	"readonly", "realpath", "return", "rm", "sed", "seq", "set", "shift", "sort", "source", "sync",
	"sysctl", "tee", "test", "touch", "tr", "trap", "true", "typeset", "ulimit", "umask", "unset",
	"useradd", "wait", "wc", "whoami",
}

# script_main(parsed) is the index, in parsed.commands, of the process a script is there to run:
# the last command in source order that runs in the foreground and is not a quick step, leaving out
# function bodies (their commands run where the function is called). Undefined when there is none.
script_main(parsed) := max(candidates) if {
	candidates := {i |
		some i, cmd in parsed.commands
		_main_candidate(cmd)
	}
	count(candidates) > 0
}

_main_candidate(cmd) if {
	not cmd.background
	not "function" in cmd.nested
	not quick_programs[cmd.program]
}

# in_loop(cmd) is true for a command inside a while, until or for loop.
in_loop(cmd) if {
	some kind in cmd.nested
	kind in {"while", "until", "for"}
}

# loop_kind(cmd) names the outermost loop around cmd.
loop_kind(cmd) := [kind |
	some kind in cmd.nested
	kind in {"while", "until", "for"}
][0]

# pipeline_members(parsed, cmd) lists the commands of cmd's pipeline in order (cmd alone when it is
# not in one).
pipeline_members(parsed, cmd) := [c |
	some c in parsed.commands
	c.pipeline == cmd.pipeline
] if {
	cmd.pipeline != 0
} else := [cmd]

# running_scripts lists the containers that keep running beside each other (regular containers and
# native sidecars, not ordinary init or ephemeral containers) whose command line runs a shell
# script (`sh -c SCRIPT`, also behind init wrappers): {"c": container (as in containers), "cmd":
# its command (podlint.parse_command's analysis), cmd.parsed being the script's}.
running_scripts := [x |
	some c in containers
	not c.init
	c.field != "ephemeralContainers"
	c.command.parsed
	x := {"c": c, "cmd": c.command}
]
