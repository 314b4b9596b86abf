package podlint.rules.multi_tier_pod_test

import data.podlint.rules.multi_tier_pod as rule

pod(containers) := {"apiVersion": "v1", "kind": "Pod", "spec": {"containers": containers}}

c(name, image) := {"name": name, "image": image}

flagged(containers) := {f.path | some f in rule.deny with input as pod(containers)}

image_of(i) := ["spec", "containers", i, "image"]

test_database_next_to_an_application if {
	flagged([c("app", "example.com/shop:1.2"), c("db", "postgres:16")]) == {image_of(1)}
}

test_message_names_both if {
	some f in rule.deny with input as pod([c("app", "example.com/shop:1.2"), c("db", "postgres:16")])
	f.msg == `container "db" runs postgres, a database or broker, in the same pod as container "app" (shop): they cannot be scheduled, scaled or updated apart`
}

test_registry_tag_and_digest_are_stripped if {
	flagged([c("app", "shop"), c("db", "docker.io/library/postgres:16@sha256:abcd")]) == {image_of(1)}
	flagged([c("app", "shop"), c("db", "registry.example.com:5000/mirror/bitnami/postgresql:16")]) == {image_of(1)}
	flagged([c("app", "shop"), c("db", "localhost/redis")]) == {image_of(1)}
	flagged([c("app", "shop"), c("db", "REDIS:7")]) == {image_of(1)}
}

test_repository_with_a_slash_pattern if {
	flagged([c("app", "shop"), c("db", "mcr.microsoft.com/mssql/server:2022-latest")]) == {image_of(1)}
	flagged([c("app", "shop"), c("db", "example.com/server:1")]) == set()
}

test_every_database_is_reported if {
	flagged([c("cache", "redis:7"), c("app", "shop"), c("queue", "rabbitmq:3-management")]) == {image_of(0), image_of(2)}
}

test_names_that_only_contain_a_database_are_not_databases if {
	flagged([c("ui", "rediscommander/redis-commander:latest"), c("app", "shop")]) == set()
	flagged([c("ui", "mongo-express"), c("app", "shop")]) == set()
	flagged([c("app", "example.com/postgres-backed-shop:1"), c("web", "nginx")]) == set()
}

test_an_admin_ui_is_an_application if {
	flagged([c("cache", "redis:7"), c("ui", "rediscommander/redis-commander:latest")]) == {image_of(0)}
}

test_helpers_are_fine if {
	flagged([c("db", "postgres:16"), c("metrics", "quay.io/prometheuscommunity/postgres-exporter:v0.15.0")]) == set()
	flagged([c("cache", "redis:7"), c("metrics", "oliver006/redis_exporter")]) == set()
	flagged([c("db", "mysql:8"), c("metrics", "prom/mysqld-exporter"), c("backup", "gcr.io/google-samples/xtrabackup:1.0")]) == set()
	flagged([c("db", "postgres"), c("bouncer", "bitnami/pgbouncer"), c("mesh", "docker.io/istio/proxyv2:1.22.0")]) == set()
	flagged([c("db", "postgres"), c("mesh", "cr.l5d.io/linkerd/proxy:stable-2.14"), c("logs", "fluent/fluent-bit:3.0")]) == set()
	flagged([c("db", "postgres"), c("sql", "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.0"), c("envoy", "envoyproxy/envoy:v1.30")]) == set()
}

test_parts_of_one_data_system_pass if {
	flagged([c("redis", "redis:7"), c("sentinel", "bitnami/redis-sentinel:7")]) == set()
	flagged([c("kafka", "confluentinc/cp-kafka:7.6"), c("zookeeper", "confluentinc/cp-zookeeper:7.6")]) == set()
}

test_database_alone_passes if {
	flagged([c("db", "postgres:16")]) == set()
}

test_init_containers_never_count if {
	doc := {"kind": "Pod", "spec": {
		"initContainers": [c("wait-for-db", "postgres:16")],
		"containers": [c("app", "shop")],
	}}
	count(rule.deny) == 0 with input as doc
	doc2 := {"kind": "Pod", "spec": {
		"initContainers": [c("migrate", "example.com/shop-migrations:1")],
		"containers": [c("db", "postgres:16")],
	}}
	count(rule.deny) == 0 with input as doc2
}

test_native_sidecar_database_counts if {
	doc := {"kind": "Pod", "spec": {
		"initContainers": [object.union(c("cache", "redis:7"), {"restartPolicy": "Always"})],
		"containers": [c("app", "shop")],
	}}
	{f.path | some f in rule.deny} == {["spec", "initContainers", 0, "image"]} with input as doc
}

test_database_client_is_not_a_database if {
	flagged([c("app", "shop"), object.union(c("probe", "redis:7"), {"command": ["redis-cli", "-h", "cache", "monitor"]})]) == set()
	flagged([c("app", "shop"), object.union(c("db", "redis:7"), {"command": ["redis-server", "--appendonly", "yes"]})]) == {image_of(1)}
}

test_workload_template if {
	doc := {"kind": "StatefulSet", "spec": {"template": {"spec": {"containers": [c("app", "shop"), c("db", "mongo:7")]}}}}
	{f.path | some f in rule.deny} == {["spec", "template", "spec", "containers", 1, "image"]} with input as doc
}

test_params_change_the_lists if {
	doc := pod([c("app", "shop"), c("db", "example.com/acme-db:3"), c("cache", "redis:7")])
	params := {"multi-tier-pod": {"databases": ["acme-db"], "helpers": []}}
	{f.path | some f in rule.deny} == {image_of(1)} with input as doc with data.podlint.params as params
	helpers := {"multi-tier-pod": {"databases": ["redis"], "helpers": ["shop", "acme-*"]}}
	count(rule.deny) == 0 with input as doc with data.podlint.params as helpers
}

test_missing_or_odd_images_pass if {
	flagged([c("app", "shop"), {"name": "db"}]) == set()
	flagged([c("app", "shop"), {"name": "db", "image": 5}]) == set()
}

test_pods_that_run_to_completion_pass if {
	job := {"kind": "Job", "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [c("tests", "tests"), c("db", "mongo:7")]}}}}
	count(rule.deny) == 0 with input as job
	once := {"kind": "Pod", "spec": {"restartPolicy": "OnFailure", "containers": [c("tests", "tests"), c("db", "mongo:7")]}}
	count(rule.deny) == 0 with input as once
}

test_patterns_are_globs_within_one_part if {
	doc := pod([c("app", "shop"), c("db", "example.com/a.b-db:1"), c("other", "example.com/axb-db:1")])
	dots := {"multi-tier-pod": {"databases": ["a.b-*"], "helpers": []}}
	{f.path | some f in rule.deny} == {image_of(1)} with input as doc with data.podlint.params as dots
	across := {"multi-tier-pod": {"databases": ["example*"], "helpers": []}}
	count(rule.deny) == 0 with input as doc with data.podlint.params as across
	path := {"multi-tier-pod": {"databases": ["acme/*-db"], "helpers": []}}
	{f.path | some f in rule.deny} == {image_of(1)} with input as pod([c("app", "shop"), c("db", "example.com/acme/x-db:1")]) with data.podlint.params as path
}
