package podlint.rules.signal_unsafe_entrypoint_test

import data.podlint.rules.signal_unsafe_entrypoint as rule

pod(container) := {"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [object.union({"name": "app", "image": "x"}, container)]}}

# flagged lists the paths of the warnings, infos those of the info findings.
flagged(container) := {f.path |
	some f in rule.deny with input as pod(container)
	not f.severity
}

infos(container) := {f.path |
	some f in rule.deny with input as pod(container)
	f.severity == "info"
}

message(container) := msg if {
	some f in rule.deny with input as pod(container)
	msg := f.msg
}

script_path := ["spec", "containers", 0, "command", 2]

test_last_command_not_exec if {
	flagged({"command": ["sh", "-c", "cd /app && node server.js"]}) == {script_path}
	contains(message({"command": ["sh", "-c", "cd /app && node server.js"]}), "starts node without exec")
}

test_setup_then_server if {
	flagged({"command": ["/bin/sh", "-c", "source /etc/app/env\n/usr/bin/app --serve"]}) == {script_path}
	flagged({"command": ["dash", "-ec", "setup; server"]}) == {script_path}
	flagged({"command": ["zsh", "-c", "setup; server"]}) == {script_path}
}

test_bash_runs_a_plain_final_command_in_place_from_5_1 if {
	infos({"command": ["/bin/bash", "-c", "source /etc/app/env\n/usr/bin/app --serve"]}) == {script_path}
	flagged({"command": ["/bin/bash", "-c", "source /etc/app/env\n/usr/bin/app --serve"]}) == set()
	infos({"command": ["bash", "-c", "cd /app && node server.js"]}) == {script_path}
	contains(message({"command": ["bash", "-c", "cd /app && node server.js"]}), "bash 5.1 and later")
}

test_bash_keeps_the_shell_for_other_endings if {
	flagged({"command": ["bash", "-c", "setup; server > /var/log/server.log"]}) == {script_path}
	flagged({"command": ["bash", "-c", "trap 'echo bye' EXIT; setup; server"]}) == {script_path}
	flagged({"command": ["bash", "-c", "server; echo stopped"]}) == {script_path}
	flagged({"command": ["bash", "-c", "if [ -f x ]; then setup; fi; { setup; server; }"]}) == {script_path}
	infos({"command": ["bash", "-c", "server; echo stopped"]}) == set()
}

test_busybox_ash_runs_the_final_command_in_place if {
	flagged({"command": ["/bin/ash", "-c", "setup; server"]}) == set()
	flagged({"command": ["busybox", "sh", "-c", "setup; if [ -n \"$A\" ]; then server -a; else server; fi"]}) == set()
	infos({"command": ["/bin/ash", "-c", "setup; server"]}) == set()
	flagged({"command": ["/bin/ash", "-c", "server; echo stopped"]}) == {script_path}
	flagged({"command": ["/bin/ash", "-c", "trap 'echo bye' EXIT; setup; server"]}) == {script_path}
	flagged({"command": ["/bin/ash", "-c", "server | logger"]}) == {script_path}
}

test_script_in_args if {
	flagged({"command": ["sh", "-c"], "args": ["setup; server"]}) == {["spec", "containers", 0, "args", 0]}
	flagged({"args": ["sh", "-c", "setup; server"]}) == {["spec", "containers", 0, "args", 2]}
}

test_server_then_quick_step if {
	contains(message({"command": ["sh", "-c", "server; echo stopped"]}), "starts server without exec")
}

test_exec_last_passes if {
	flagged({"command": ["sh", "-c", "cd /app && exec node server.js"]}) == set()
	flagged({"command": ["sh", "-c", "setup\nexec \"$@\"", "--", "server"]}) == set()
	flagged({"command": ["sh", "-c", "setup; exec gosu app server; echo unreachable"]}) == set()
}

test_exec_in_both_branches_passes if {
	flagged({"command": ["sh", "-c", "if [ -n \"$DEBUG\" ]; then exec server -v; else exec server; fi"]}) == set()
}

test_branch_without_exec if {
	flagged({"command": ["sh", "-c", "if [ -n \"$DEBUG\" ]; then exec server -v; else server; fi"]}) == {script_path}
}

test_single_command_passes if {
	flagged({"command": ["sh", "-c", "nginx -g 'daemon off;'"]}) == set()
	flagged({"command": ["sh", "-c", "sleep infinity"]}) == set()
}

test_only_quick_steps_pass if {
	flagged({"command": ["sh", "-c", "echo starting; date"]}) == set()
}

test_plain_command_passes if {
	flagged({"command": ["node", "server.js"]}) == set()
	flagged({"command": ["sh", "/entrypoint.sh"]}) == set()
}

test_trap_term_passes if {
	flagged({"command": ["sh", "-c", "trap 'kill -TERM $pid' TERM\nserver & pid=$!\nwait $pid"]}) == set()
	flagged({"command": ["bash", "-c", "trap 'exit 0' SIGTERM; while true; do work; sleep 5; done"]}) == set()
	flagged({"command": ["bash", "-c", "trap cleanup 15; setup; server"]}) == set()
}

test_trap_of_other_signals_or_reset_does_not_count if {
	flagged({"command": ["sh", "-c", "trap 'echo bye' EXIT; setup; server"]}) == {script_path}
	flagged({"command": ["sh", "-c", "trap - TERM; setup; server"]}) == {script_path}
}

test_init_wrapper_passes if {
	flagged({"command": ["tini", "--", "sh", "-c", "setup; server"]}) == set()
	flagged({"command": ["/usr/bin/dumb-init", "bash", "-c", "setup; server"]}) == set()
}

test_other_wrappers_do_not_help if {
	flagged({"command": ["gosu", "app", "sh", "-c", "setup; server"]}) == {["spec", "containers", 0, "command", 4]}
}

test_wait_for_background_job if {
	flagged({"command": ["sh", "-c", "server & wait"]}) == {script_path}
	contains(message({"command": ["sh", "-c", "worker & server &\nwait"]}), "waits for server, worker started in the background")
}

test_loop if {
	msg := message({"command": ["/bin/sh", "-c", "while true; do date; sleep 10; done"]})
	contains(msg, "runs sleep inside a while loop of its own")
}

test_wait_loop_then_exec_passes if {
	flagged({"command": ["sh", "-c", "until nc -z db 5432; do sleep 1; done; exec app"]}) == set()
}

test_pipeline if {
	contains(message({"command": ["sh", "-c", "server 2>&1 | tee /var/log/server.log"]}), "runs the pipeline server | tee")
	contains(message({"command": ["sh", "-c", "exec server | logger"]}), "runs the pipeline server | logger")
}

test_subshell if {
	contains(message({"command": ["sh", "-c", "setup; (cd /app && exec server)"]}), "runs server in a subshell")
}

test_eval_is_not_judged if {
	flagged({"command": ["sh", "-c", "setup; eval exec \"$START\""]}) == set()
}

test_function_bodies_are_not_the_main_process if {
	flagged({"command": ["bash", "-c", "stop() { server --stop; }\nsetup\nexec server"]}) == set()
}

test_init_containers_pass if {
	doc := {"kind": "Pod", "spec": {
		"initContainers": [{"name": "setup", "command": ["sh", "-c", "a; b"]}],
		"containers": [{"name": "app"}],
	}}
	count(rule.deny) == 0 with input as doc
}

test_native_sidecar_is_checked if {
	doc := {"kind": "Pod", "spec": {
		"initContainers": [{"name": "agent", "restartPolicy": "Always", "command": ["sh", "-c", "a; b"]}],
		"containers": [{"name": "app"}],
	}}
	{f.path | some f in rule.deny} == {["spec", "initContainers", 0, "command", 2]} with input as doc
}

test_jobs_and_run_to_completion_pods_pass if {
	job := {"kind": "Job", "spec": {"template": {"spec": {"containers": [{"name": "a", "command": ["sh", "-c", "a; b"]}]}}}}
	count(rule.deny) == 0 with input as job
	cron := {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "a", "command": ["sh", "-c", "a; b"]}]}}}}}}
	count(rule.deny) == 0 with input as cron
	once := {"kind": "Pod", "spec": {"restartPolicy": "Never", "containers": [{"name": "a", "command": ["sh", "-c", "a; b"]}]}}
	count(rule.deny) == 0 with input as once
}

test_workload_template if {
	doc := {"kind": "Deployment", "spec": {"template": {"spec": {"containers": [{"name": "a", "command": ["sh", "-c", "a; b"]}]}}}}
	{f.path | some f in rule.deny} == {["spec", "template", "spec", "containers", 0, "command", 2]} with input as doc
}

# lines lists the script lines the findings point at.
lines(container) := {f.line | some f in rule.deny with input as pod(container)}

test_sh_in_alpine_and_busybox_images_is_ash if {
	flagged({"image": "alpine:3.20", "command": ["sh", "-c", "echo starting && sleep 30"]}) == set()
	flagged({"image": "docker.io/library/busybox:1.36", "command": ["/bin/sh", "-c", "touch /tmp/r; sleep 30"]}) == set()
	flagged({"image": "python:3.12-alpine", "command": ["sh", "-c", "pip install -r r.txt && python app.py"]}) == set()
	flagged({"image": "redis:7-alpine3.20", "command": ["sh", "-c", "setup; redis-server"]}) == set()
	infos({"image": "alpine", "command": ["sh", "-c", "setup; server"]}) == set()

	# ash hands over only to the last command
	flagged({"image": "alpine:3.20", "command": ["sh", "-c", "server; echo stopped"]}) == {script_path}
	flagged({"image": "alpine:3.20", "command": ["sh", "-c", "server | logger"]}) == {script_path}
}

test_sh_in_debian_images_is_dash if {
	flagged({"image": "python:3.12-slim", "command": ["sh", "-c", "python app.py"]}) == {script_path}
	contains(message({"image": "python:3.12-slim", "command": ["sh", "-c", "python app.py"]}), "starts python without exec: sh in python:3.12-slim is dash, which stays process 1")
	flagged({"image": "node:22", "command": ["sh", "-c", "npm ci && node server.js"]}) == {script_path}
	flagged({"image": "nginx", "command": ["sh", "-c", "nginx -g 'daemon off;'"]}) == {script_path}
	flagged({"image": "ubuntu:24.04", "command": ["sh", "-c", "sleep infinity"]}) == {script_path}

	# exec, or a script with nothing long-running, is fine in dash too
	flagged({"image": "python:3.12-slim", "command": ["sh", "-c", "exec python app.py"]}) == set()
	flagged({"image": "debian:12", "command": ["sh", "-c", "echo hello"]}) == set()

	# an alpine tag wins over the repository
	flagged({"image": "node:22-alpine", "command": ["sh", "-c", "node server.js"]}) == set()
}

test_bash_and_explicit_shells_ignore_the_image if {
	infos({"image": "python:3.12-slim", "command": ["bash", "-c", "setup; server"]}) == {script_path}
	flagged({"image": "alpine", "command": ["dash", "-c", "setup; server"]}) == {script_path}
	flagged({"image": "debian", "command": ["ash", "-c", "setup; server"]}) == set()
}

test_unknown_images_as_before if {
	flagged({"image": "registry.example.com/team/app:1.2", "command": ["sh", "-c", "server"]}) == set()
	flagged({"image": "registry.example.com/team/app:1.2", "command": ["sh", "-c", "setup && server"]}) == {script_path}
	flagged({"command": ["sh", "-c", "setup && server"]}) == {script_path}
}

test_image_lists_are_parameters if {
	params := {"ash_images": ["team/app"], "ash_tags": [], "dash_images": ["debian"]}
	found := {f.path |
		some f in rule.deny with input as pod({"image": "registry.example.com/team/app:1.2", "command": ["sh", "-c", "setup && server"]})
			with data.podlint.params["signal-unsafe-entrypoint"] as params
	}
	found == set()
	dash := {f.path |
		some f in rule.deny with input as pod({"image": "python:3.12-alpine", "command": ["sh", "-c", "server"]})
			with data.podlint.params["signal-unsafe-entrypoint"] as {"ash_images": [], "ash_tags": [], "dash_images": ["python"]}
	}
	dash == {script_path}
}

test_findings_point_at_the_script_line if {
	lines({"command": ["sh", "-c", "set -e\ncd /app\nnode server.js\n"]}) == {3}
	lines({"command": ["sh", "-c", "worker &\nserver &\n\nwait\n"]}) == {4}
	lines({"command": ["bash", "-c", "setup\nserver"]}) == {2}
}

test_tag_of_an_image if {
	rule._tag("python:3.12-alpine") == "3.12-alpine"
	rule._tag("registry.example.com:5000/app") == ""
	rule._tag("registry.example.com:5000/app:V1@sha256:abc") == "v1"
	rule._tag("app@sha256:abc") == ""
}
