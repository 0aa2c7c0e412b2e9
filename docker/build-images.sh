#!/usr/bin/env bash
# Builds the four service images and the trainer image from the jars `mvn -B -ntp install -DskipTests` made, on
# BASE_IMAGE (default: recap/base-jre:17 when docker/build-base-images.sh has made it, else the Dockerfiles' own
# default, eclipse-temurin:17-jre), tagged recap/NAME:RECAP_TAG (default 0.1.0-SNAPSHOT, the tag k8s/ and compose
# use). Prints each image's size.
#
#   docker/build-images.sh [ROOT]        # ROOT: the checkout whose target/ jars to use (default: this one)
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
here=$(cd "$(dirname "$0")/.." && pwd)
tag=${RECAP_TAG:-0.1.0-SNAPSHOT}
base=${BASE_IMAGE:-}
if [ -z "$base" ] && docker image inspect recap/base-jre:17 > /dev/null 2>&1; then
    base=recap/base-jre:17
fi
base_arg=()
[ -n "$base" ] && base_arg=(--build-arg "BASE_IMAGE=$base")
for spec in training-orchestrator:-exec:8080 caption-service::8081 generation-service::8082 relabel-worker:-exec:8083; do
    IFS=: read -r module suffix port <<< "$spec"
    docker build -q -f "$here/docker/service.Dockerfile" -t "recap/$module:$tag" "${base_arg[@]}" \
        --build-arg "JAR=target/$module-0.1.0-SNAPSHOT$suffix.jar" --build-arg "PORT=$port" \
        --build-arg "MANAGEMENT_PORT=$((port + 1000))" "$root/$module" > /dev/null
done
docker build -q -f "$here/training-orchestrator/Dockerfile.trainer" -t "recap/trainer:$tag" "${base_arg[@]}" \
    "$root/training-orchestrator" > /dev/null
echo "base: ${base:-the default of the Dockerfiles}"
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E "^recap/(training-orchestrator|caption-service|generation-service|relabel-worker|trainer):$tag " | sort
