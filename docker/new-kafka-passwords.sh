#!/usr/bin/env bash
# Makes the Kafka passwords docker-compose.yml needs and appends them to an env file (default .env, git-ignored,
# which Compose reads from this directory): KAFKA_ADMIN_PASSWORD (the broker's super user) and one
# KAFKA_<USER>_PASSWORD per service user of io.recap.core.kafka.KafkaAcls (docs/security.md, "Kafka"). A password
# already in the file is kept, so running it again only adds what is missing. To change one, delete its line, run
# this again and `docker compose up -d` (kafka-init sets the users' passwords at every start; the broker reads
# the admin password when it starts).
#
#   docker/new-kafka-passwords.sh [FILE]
set -euo pipefail
file=${1:-.env}
touch "$file"
chmod 0600 "$file"
for name in ADMIN ORCHESTRATOR RELABEL_WORKER TRAINER INGEST; do
    variable="KAFKA_${name}_PASSWORD"
    if grep -q "^${variable}=" "$file"; then
        continue
    fi
    # base64url: nothing a JAAS string, kafka-configs.sh's --add-config or a Spring placeholder reads specially.
    echo "${variable}=$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')" >> "$file"
    echo "added $variable to $file" >&2
done
