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

messages(container) := {f.msg | some f in rule.deny with input as pod(container)}

lines(container) := {f.line | some f in rule.deny with input as pod(container)}

test_programs_that_daemonize_themselves if {
	messages({"command": ["sh", "-c", "php-fpm -D && exec nginx -g 'daemon off;'"]}) == {"the sh script of container \"app\" starts more than one long-running process: php-fpm daemonizes itself (-D), then nginx"}
	messages({"command": ["sh", "-c", "redis-server --daemonize yes; exec node server.js"]}) == {"the sh script of container \"app\" starts more than one long-running process: redis-server daemonizes itself (--daemonize yes), then node"}
	messages({"command": ["sh", "-c", "/usr/sbin/sshd && exec gunicorn app:app"]}) == {"the sh script of container \"app\" starts more than one long-running process: sshd daemonizes itself (without -D), then gunicorn"}
	messages({"command": ["sh", "-c", "crond -l 2 && tail -f /var/log/cron.log"]}) == {"the sh script of container \"app\" starts more than one long-running process: crond daemonizes itself (without -f), then tail"}
	messages({"command": ["sh", "-c", "nginx; exec php-fpm -F"]}) == {"the sh script of container \"app\" starts more than one long-running process: nginx daemonizes itself (without daemon off), then php-fpm"}
	flagged({"command": ["sh", "-c", "php-fpm -D\nnginx"]}) == {script_path}
}

test_daemons_in_the_foreground_pass if {
	flagged({"command": ["sh", "-c", "php-fpm -F"]}) == set()
	flagged({"command": ["sh", "-c", "nginx -t && exec nginx -g 'daemon off;'"]}) == set()
	flagged({"command": ["sh", "-c", "ssh-keygen -A && exec /usr/sbin/sshd -D -e"]}) == set()
	flagged({"command": ["sh", "-c", "exec crond -f -l 2"]}) == set()
	flagged({"command": ["sh", "-c", "redis-server --daemonize no"]}) == set()
	flagged({"command": ["sh", "-c", "setup; nginx -s reload; exec app"]}) == set()

	# a daemon alone: one process (the container then ends, which is another matter)
	flagged({"command": ["sh", "-c", "cron"]}) == set()
}

test_background_job_named_after_its_work if {
	messages({"command": ["sh", "-c", "cd /srv && ./run.py > /dev/null & exec nginx"]}) == {"the sh script of container \"app\" starts more than one long-running process: run.py in the background with &, then nginx"}
}

test_findings_point_at_the_first_process if {
	lines({"command": ["sh", "-c", "set -e\nworker &\nexec server"]}) == {2}
	lines({"command": ["sh", "-c", "mkdir -p /run/php\nphp-fpm -D\nexec nginx -g 'daemon off;'"]}) == {2}
}

test_two_daemons if {
	messages({"command": ["sh", "-c", "sshd; crond; exec nginx -g 'daemon off;'"]}) == {"the sh script of container \"app\" starts more than one long-running process: sshd daemonizes itself (without -D), then crond daemonizes itself (without -f), then nginx"}
}
