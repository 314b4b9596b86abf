package podlint.rules.multi_process_entrypoint_test

import data.podlint.rules.multi_process_entrypoint as rule

pod(container) := {"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [object.union({"name": "app", "image": "x"}, container)]}}

flagged(container) := paths if {
	findings := rule.deny with input as pod(container)
	paths := {f.path | some f in findings}
}

script_path := ["spec", "containers", 0, "command", 2]

test_background_then_foreground if {
	flagged({"command": ["sh", "-c", "nginx & php-fpm -F"]}) == {script_path}
}

test_background_then_wait if {
	flagged({"command": ["/bin/bash", "-c", "a & b; wait"]}) == {script_path}
}

test_two_background_jobs if {
	flagged({"command": ["sh", "-c", "worker & scheduler &\nwait"]}) == {script_path}
}

test_background_then_exec if {
	flagged({"command": ["sh", "-c", "crond & exec nginx -g 'daemon off;'"]}) == {script_path}
}

test_background_then_sleep_forever if {
	flagged({"command": ["sh", "-c", "app & sleep infinity"]}) == {script_path}
}

test_background_then_loop if {
	flagged({"command": ["sh", "-c", "app &\nwhile true; do sleep 60; done"]}) == {script_path}
}

test_script_in_args if {
	flagged({"command": ["sh"], "args": ["-ec", "a & b"]}) == {["spec", "containers", 0, "args", 1]}
}

test_and_list_passes if {
	flagged({"command": ["sh", "-c", "migrate && serve"]}) == set()
}

test_exec_after_setup_passes if {
	flagged({"command": ["sh", "-c", "setup; exec serve"]}) == set()
}

test_quoted_ampersand_passes if {
	flagged({"command": ["sh", "-c", "echo 'a & b' \"c & d\"; exec serve"]}) == set()
}

test_single_job_waited_for_passes if {
	flagged({"command": ["sh", "-c", "trap 'kill $pid' TERM; serve & pid=$!; wait $pid"]}) == set()
}

test_plain_command_passes if {
	flagged({"command": ["nginx", "-g", "daemon off;"]}) == set()
}

test_supervisor if {
	flagged({"command": ["/usr/bin/supervisord", "-n"]}) == {["spec", "containers", 0, "command", 0]}
}

test_supervisor_behind_init_wrappers if {
	flagged({"command": ["tini", "--", "gosu", "app", "env", "A=1", "supervisord"]}) == {["spec", "containers", 0, "command", 6]}
	flagged({"command": ["dumb-init"], "args": ["--single-child", "--", "runsvdir", "/etc/service"]}) == {["spec", "containers", 0, "args", 2]}
}

test_supervisor_in_script if {
	flagged({"command": ["bash", "-c", "prepare && exec su-exec app pm2-runtime ecosystem.config.js"]}) == {script_path}
}

test_npm_run_all_only_in_parallel if {
	flagged({"command": ["npm-run-all", "--parallel", "api", "web"]}) == {["spec", "containers", 0, "command", 0]}
	flagged({"command": ["npm-run-all", "build", "start"]}) == set()
}

test_shell_running_a_file_passes if {
	flagged({"command": ["sh", "/start.sh"]}) == set()
}

test_init_containers_and_sidecars_are_checked if {
	findings := rule.deny with input as {"kind": "Pod", "spec": {
		"initContainers": [{"name": "proxy", "restartPolicy": "Always", "command": ["sh", "-c", "a & b"]}],
		"containers": [{"name": "app"}],
	}}
	{f.path | some f in findings} == {["spec", "initContainers", 0, "command", 2]}
}

test_message_names_the_processes if {
	findings := rule.deny with input as pod({"command": ["sh", "-c", "nginx & php-fpm"]})
	some f in findings
	contains(f.msg, "nginx in the background")
	contains(f.msg, "then php-fpm")
}
