package podlint.rules.log_to_file_test

import data.podlint.rules.log_to_file as rule

pod(container) := {"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [object.union({"name": "app", "image": "x"}, container)]}}

found(doc) := {[f.path, object.get(f, "severity", "warning")] | some f in rule.deny with input as doc}

flagged(container) := found(pod(container))

message(container) := msg if {
	some f in rule.deny with input as pod(container)
	msg := f.msg
}

script := ["spec", "containers", 0, "command", 2]

warning := {[script, "warning"]}

test_redirect_of_the_main_process if {
	flagged({"command": ["sh", "-c", "exec server > /var/log/server.log"]}) == warning
	flagged({"command": ["sh", "-c", "setup; server >> /var/log/server.log 2>&1"]}) == warning
	flagged({"command": ["bash", "-c", "exec server &> /tmp/server.out"]}) == warning
	flagged({"command": ["bash", "-c", "exec server >& /tmp/server.out"]}) == warning
}

test_stderr_only if {
	flagged({"command": ["sh", "-c", "exec server 2> /var/log/errors.log"]}) == warning
}

test_message_names_process_and_file if {
	msg := message({"command": ["sh", "-c", "setup; exec server >> /var/log/server.log 2>&1"]})
	contains(msg, "the output of server to /var/log/server.log")
}

test_single_command_script if {
	flagged({"command": ["sh", "-c", "server > /var/log/server.log"]}) == warning
}

test_exec_redirect_of_the_whole_script if {
	flagged({"command": ["sh", "-c", "exec >> /var/log/app.log 2>&1\nsetup\nexec server"]}) == warning
}

test_redirect_of_a_block if {
	flagged({"command": ["sh", "-c", "{ setup; exec server; } > /var/log/app.log"]}) == warning
}

test_standard_streams_are_fine if {
	flagged({"command": ["sh", "-c", "setup; exec server > /dev/stdout 2> /dev/stderr"]}) == set()
	flagged({"command": ["sh", "-c", "setup; exec server >> /proc/1/fd/1 2>> /proc/1/fd/2"]}) == set()
	flagged({"command": ["sh", "-c", "setup; exec server > /proc/self/fd/1"]}) == set()
	flagged({"command": ["sh", "-c", "setup; exec server 2>&1"]}) == set()
	flagged({"command": ["sh", "-c", "setup; exec server > /dev/null"]}) == set()
}

test_shm_is_a_file if {
	flagged({"command": ["sh", "-c", "exec server > /dev/shm/server.log"]}) == warning
}

test_variable_target_is_unknown if {
	flagged({"command": ["sh", "-c", "exec server > \"$LOG\""]}) == set()
	flagged({"command": ["sh", "-c", "exec server > \"$LOG_DIR/server.log\""]}) == warning
}

test_setup_steps_may_write_files if {
	flagged({"command": ["sh", "-c", "envsubst < /tpl > /etc/app.conf; render-config > /etc/app.yaml 2>/tmp/render.err; exec server"]}) == set()
}

test_tee_keeps_stdout if {
	flagged({"command": ["sh", "-c", "server 2>&1 | tee -a /var/log/server.log"]}) == set()
}

test_pipeline_into_a_file if {
	flagged({"command": ["sh", "-c", "server | gzip > /var/log/server.log.gz"]}) == warning
}

test_loop_writing_data_is_fine if {
	flagged({"command": ["sh", "-c", "while true; do date >> /data/out.txt; sleep 5; done"]}) == set()
}

test_no_shell_no_redirection if {
	flagged({"command": ["server", ">", "/var/log/server.log"]}) == set()
}

job(container) := {"kind": "Job", "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [container]}}}}

test_run_to_completion_stdout_is_data if {
	found(job({"name": "dump", "command": ["sh", "-c", "pg_dump app > /backup/app.sql"]})) == set()
	found(job({"name": "dump", "command": ["sh", "-c", "pg_dump app > /backup/app.sql 2> /backup/app.err"]})) == {[["spec", "template", "spec", "containers", 0, "command", 2], "warning"]}
}

test_init_containers_are_not_checked if {
	doc := {"kind": "Pod", "spec": {
		"initContainers": [{"name": "setup", "command": ["sh", "-c", "fetch-config > /etc/app.conf"]}],
		"containers": [{"name": "app"}],
	}}
	found(doc) == set()
}

test_native_sidecar_is_checked if {
	doc := {"kind": "Pod", "spec": {
		"initContainers": [{"name": "agent", "restartPolicy": "Always", "command": ["sh", "-c", "exec agent > /agent.log"]}],
		"containers": [{"name": "app"}],
	}}
	found(doc) == {[["spec", "initContainers", 0, "command", 2], "warning"]}
}

test_log_file_options if {
	flagged({"command": ["server", "--log-file=/var/log/server.log"]}) == {[["spec", "containers", 0, "command", 1], "info"]}
	flagged({"command": ["redis-server"], "args": ["--port", "6379", "--logfile", "/data/redis.log"]}) == {[["spec", "containers", 0, "args", 2], "info"]}
	flagged({"args": ["-log_dir=/tmp/logs"]}) == {[["spec", "containers", 0, "args", 0], "info"]}
	flagged({"args": ["--logpath", "/var/log/mongod.log"]}) == {[["spec", "containers", 0, "args", 0], "info"]}
}

test_log_file_option_in_a_script if {
	flagged({"command": ["sh", "-c", "setup; exec gunicorn --error-logfile /var/log/err.log app:app"]}) == {[script, "info"]}
}

test_log_file_options_to_a_stream_are_fine if {
	flagged({"command": ["gunicorn", "--access-logfile", "-", "--error-logfile", "-", "app:app"]}) == set()
	flagged({"command": ["server", "--log-file=/dev/stdout"]}) == set()
	flagged({"command": ["server", "--log-file="]}) == set()
	flagged({"command": ["server", "--log-file", "$(LOG_FILE)"]}) == set()
}

test_log_file_option_without_a_value if {
	flagged({"command": ["server", "--log-file"]}) == set()
	flagged({"command": ["server", "--log-file", "--verbose"]}) == set()
}

test_logtostderr_wins if {
	flagged({"args": ["--log_dir=/tmp", "--logtostderr"]}) == set()
	flagged({"args": ["-log_dir", "/tmp", "-alsologtostderr"]}) == set()
}

test_logdir_of_tensorboard_is_data if {
	flagged({"command": ["tensorboard", "--logdir=/outputs/run1"]}) == set()
}

test_similar_options_are_not_log_files if {
	flagged({"command": ["server", "--log-file-max-size=10", "--log-level=debug", "--logfile-format=json"]}) == set()
}

lines(container) := {f.line | some f in rule.deny with input as pod(container)}

test_a_loop_that_appends_to_a_file if {
	loop := {"command": ["sh", "-c", "while true; do\n  echo \"$(date) alive\" >> /var/log/app.log\n  sleep 5\ndone"]}
	flagged(loop) == warning
	message(loop) == "the sh script of container \"app\" runs a while loop that appends its output to /var/log/app.log: kubectl logs and the cluster's log collection do not see it"
	lines(loop) == {2}
	flagged({"command": ["sh", "-c", "mkdir -p /logs; for i in $(seq 1 1000000); do date &>> /logs/out; sleep 1; done"]}) == warning
	flagged({"command": ["sh", "-c", "while true; do { date; df -h; } >> /var/log/disk.log; sleep 60; done"]}) == warning
}

test_loops_that_do_not_log_to_a_file_pass if {
	# a heartbeat file overwritten each round is a state
	flagged({"command": ["sh", "-c", "while true; do date > /tmp/alive; sleep 5; done"]}) == set()
	flagged({"command": ["sh", "-c", "while true; do echo tick >> /dev/stdout; sleep 5; done"]}) == set()
	flagged({"command": ["sh", "-c", "while true; do echo tick; sleep 5; done"]}) == set()
	flagged({"command": ["sh", "-c", "while true; do date >> /data/blogs.txt; sleep 5; done"]}) == set()

	# a loop that is only setup, before the main process
	flagged({"command": ["sh", "-c", "for f in /conf/*; do cat $f >> /etc/app.conf; done; exec server"]}) == set()

	# a loop in the background is not the script's main work
	flagged({"command": ["sh", "-c", "while true; do date >> /tmp/beat; sleep 5; done & exec server"]}) == set()
}

test_findings_point_at_the_redirection if {
	lines({"command": ["sh", "-c", "set -e\nmkdir -p /var/log/app\nexec server \\\n  >> /var/log/app/out.log"]}) == {3}
	lines({"command": ["sh", "-c", "exec >/var/log/all.log 2>&1\nsetup\nserver"]}) == {1}
	lines({"command": ["sh", "-c", "setup\nserver --log-file=/var/log/s.log"]}) == {2}
}
