#!/usr/bin/env bash
# Writes /opt/kafka/config/server.properties from the KAFKA_* environment (KAFKA_LOG_DIRS -> log.dirs; a double
# underscore stands for a dash, a triple one for an underscore, as in the apache/kafka image), formats the storage
# with CLUSTER_ID when it is empty, and runs the broker.
set -euo pipefail
config=/opt/kafka/config/server.properties
: > "$config"
while IFS='=' read -r name value; do
    case "$name" in
        KAFKA_HEAP_OPTS|KAFKA_OPTS|KAFKA_JVM_PERFORMANCE_OPTS) continue ;;
        KAFKA_*)
            key=${name#KAFKA_}
            key=$(printf '%s' "$key" | sed -e 's/___/\x01/g' -e 's/__/-/g' -e 's/_/./g' -e 's/\x01/_/g' \
                | tr '[:upper:]' '[:lower:]')
            printf '%s=%s\n' "$key" "$value" >> "$config"
            ;;
    esac
done < <(env)
logs=$(sed -n 's/^log\.dirs=//p' "$config")
logs=${logs:-/var/lib/kafka/data}
grep -q '^log\.dirs=' "$config" || echo "log.dirs=$logs" >> "$config"
classpath="/opt/kafka/libs/*"
logging=-Dlogback.configurationFile=/opt/kafka/config/logback.xml
if [ ! -f "${logs%%,*}/meta.properties" ]; then
    : "${CLUSTER_ID:?CLUSTER_ID is required to format the storage}"
    format=(format -t "$CLUSTER_ID" -c "$config" --ignore-formatted)
    # SCRAM users to create with the storage (RECAP_KAFKA_SCRAM_USERS, not a broker property: "mech=[name=..,password=..]
    # ..." entries separated by spaces), so that a SASL listener can authenticate before any other user exists.
    for scram in ${RECAP_KAFKA_SCRAM_USERS:-}; do
        format+=(--add-scram "$scram")
    done
    java ${KAFKA_HEAP_OPTS:-} "$logging" -cp "$classpath" kafka.tools.StorageTool "${format[@]}"
fi
exec java ${KAFKA_HEAP_OPTS:--Xmx512m} ${KAFKA_OPTS:-} "$logging" -cp "$classpath" kafka.Kafka "$config"
