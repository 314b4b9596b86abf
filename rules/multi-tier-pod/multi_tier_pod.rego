# METADATA
# title: A database or message broker shares its pod with an application
# description: |
#   Everything in a pod runs on one node and scales as one: a second replica copies every
#   container. An application and the database or broker it uses have different needs: the
#   application is usually stateless and scales out freely, while the database keeps state, is
#   hard to replicate and should stay put. In one pod they cannot be scheduled on different nodes,
#   scaled or updated on their own, and a new release of the application restarts the database.
#
#   The rule reports a container whose image is a database or broker (postgres, mysql, mariadb,
#   mongo, redis, valkey, cassandra, elasticsearch, opensearch, rabbitmq, kafka, zookeeper, etcd
#   and others) when the pod also runs an application container. The image is recognised by its
#   repository name, without registry, tag or digest: `docker.io/library/postgres:16` and
#   `bitnami/postgresql` are databases; `redis-commander`, `mongo-express` and
#   `postgres-exporter` are not. Helpers that belong beside a database are not applications:
#   exporters, proxies and meshes (envoy, istio-proxy, linkerd-proxy, cloud-sql-proxy, pgbouncer),
#   log and backup agents, config reloaders. Nor are other databases, so the parts of one data
#   system can share a pod (redis with its sentinel). Init containers run before the others and
#   never count; a container of a database image that only runs a client (redis-cli, psql...) is
#   not a database. Pods that run to completion (Jobs, CronJobs, restartPolicy Never or OnFailure)
#   are left alone: a throwaway database beside a test run lives and dies with the task.
#
#   Both lists are parameters of the rule: `databases` and `helpers`, each a list of repository
#   names, in any case, where `*` matches any run of characters within one part of the path. A
#   pattern without a slash matches the last part of the repository (`postgres`, `*exporter`);
#   one with a slash matches the whole repository path (`linkerd/proxy`).
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/workloads/pods/#how-pods-manage-multiple-containers
#     description: When containers belong in one pod
#   - ref: https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/
#     description: StatefulSets, for databases and other stateful applications
# custom:
#   id: multi-tier-pod
#   severity: warning
#   remediation: |
#     Run the database in a pod of its own, usually from a StatefulSet (or use a managed database or
#     an operator), put a Service in front of it, and point the application at the Service's name.
#     Keep in the database's pod only what serves the database itself: exporters, proxies, backup
#     and log agents.
#   params:
#     databases:
#       - postgres
#       - postgresql
#       - postgis
#       - timescaledb
#       - timescaledb-ha
#       - spilo*
#       - mysql
#       - mysql-server
#       - mariadb
#       - percona-server*
#       - percona-xtradb-cluster*
#       - percona_xtradb_cluster*
#       - mssql/server
#       - mongo
#       - mongodb
#       - mongodb-community-server
#       - mongodb-enterprise-server
#       - redis
#       - redis-stack
#       - redis-stack-server
#       - redis-sentinel
#       - valkey
#       - keydb
#       - dragonfly
#       - memcached
#       - cassandra
#       - scylla
#       - elasticsearch
#       - opensearch
#       - solr
#       - rabbitmq
#       - kafka
#       - cp-kafka
#       - cp-server
#       - zookeeper
#       - cp-zookeeper
#       - pulsar
#       - activemq
#       - nats
#       - nats-streaming
#       - etcd
#       - couchdb
#       - couchbase
#       - influxdb
#       - neo4j
#       - cockroach
#       - clickhouse-server
#       - rethinkdb
#       - arangodb
#     helpers:
#       - "*exporter"
#       - prometheus-to-sd
#       - envoy
#       - proxyv2
#       - istio-proxy
#       - linkerd-proxy
#       - linkerd/proxy
#       - cloud-sql-proxy
#       - cloudsql-proxy
#       - gce-proxy
#       - alloydb-auth-proxy
#       - pgbouncer
#       - pgpool*
#       - odyssey
#       - proxysql
#       - mysql-router
#       - haproxy
#       - twemproxy
#       - stunnel
#       - fluentd*
#       - fluent-bit
#       - fluentbit
#       - filebeat
#       - promtail
#       - vector
#       - opentelemetry-collector*
#       - otel-collector*
#       - datadog/agent
#       - "*backup*"
#       - xtrabackup
#       - wal-g
#       - pgbackrest
#       - barman*
#       - restic
#       - "*config-reload*"
#       - "*config-reloader"
#       - k8s-sidecar
#       - git-sync
#       - pause
package podlint.rules.multi_tier_pod

import data.podlint.lib

_params := lib.params("multi-tier-pod")

# _repository(image) is the repository path of an image reference, without registry, tag or
# digest, for messages: docker.io/bitnami/postgresql:16@sha256:... gives bitnami/postgresql. The
# first part is a registry when it has a dot or a port, or is localhost; a tag follows the last
# colon after the last slash; a digest follows the @. (podlint.image_matches reads images the
# same way.)
_repository(image) := lower(regex.replace(image, `^(([^/]*[.:][^/]*|localhost)/)?([^@]*?)(:[^/@]*)?(@.*)?$`, "${3}"))

_databases := object.get(_params, "databases", [])

_helpers := object.get(_params, "helpers", [])

# Clients that database images also carry: a container that runs one talks to a database.
_clients := {
	"redis-cli", "valkey-cli", "psql", "pg_isready", "pg_dump", "pg_dumpall", "pg_restore",
	"mysql", "mysqldump", "mysqladmin", "mongo", "mongosh", "mongodump", "mongorestore", "cqlsh",
	"etcdctl", "rabbitmqctl", "rabbitmqadmin", "kafka-topics", "kafka-topics.sh",
	"kafka-console-consumer", "kafka-console-consumer.sh", "kafka-console-producer",
	"kafka-console-producer.sh", "zkCli.sh",
}

_runs_client(c) if _clients[c.command.program]

# _database(c) is true for a container that runs a database image, other than as a client.
_database(c) if {
	podlint.image_matches(c.container.image, _databases)
	not _runs_client(c)
}

# _running lists the pod's containers that run side by side and have an image.
_running(pod) := [c |
	some c in pod.containers
	c.concurrent
	c.field != "ephemeralContainers"
	is_string(c.container.image)
]

deny contains finding if {
	some pod in lib.pods
	count(pod.containers) > 1 # most pods stop here
	running := _running(pod)
	count(running) > 1
	databases := [c | some c in running; _database(c)]
	count(databases) > 0
	not pod.completes
	apps := [sprintf("%s (%s)", [c.label, _repository(c.container.image)]) |
		some c in running
		not _database(c)
		not podlint.image_matches(c.container.image, _helpers)
	]
	count(apps) > 0
	some db in databases
	finding := {
		"msg": sprintf("%s runs %s, a database or broker, in the same pod as %s: they cannot be scheduled, scaled or updated apart", [db.label, _repository(db.container.image), concat(", ", apps)]),
		"path": array.concat(db.path, ["image"]),
	}
}
