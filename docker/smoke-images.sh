#!/usr/bin/env bash
# Starts each RECAP image as Kubernetes runs it (its non-root user, a read-only root file system with tmpfs for
# /tmp and the DJL cache, the store mounted read-only for the three services that only read it) on a store holding
# the shipped bases, promoted, and checks: the container reports ready through its own HEALTHCHECK, runs as uid
# 10001, cannot write its root file system; caption-service captions and generation-service generates over HTTP
# with an API key; the orchestrator answers /jobs; the trainer image starts its JVM and refuses an empty
# environment. Prints each check and the image sizes. Needs the images (docker/build-images.sh).
#
#   docker/smoke-images.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tag=${RECAP_TAG:-0.1.0-SNAPSHOT}
work=$(mktemp -d)
names=()
cleanup() {
    for name in "${names[@]}"; do docker rm -f "$name" > /dev/null 2>&1 || true; done
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# A store with the shipped bases (the same layout as models/), both promoted, readable by uid 10001.
mkdir -p "$work/store/models"
cp -r "$root/models/captioner" "$root/models/text-to-image" "$work/store/models/"
printf 'captioner/shapes-captioner-base/v1' > "$work/store/models/captioner/PROMOTED"
printf 'text-to-image/shapes-t2i-base/v4' > "$work/store/models/text-to-image/PROMOTED"
chmod -R a+rX "$work"
key=$("$root/docker/new-api-key.sh" smoke admin "$work/api-keys" 2> /dev/null)

start() {  # start NAME PORT STORE_MODE [docker run options...]
    local service=$1 name=recap-smoke-$1 port=$2 mode=$3
    shift 3
    names+=("$name")
    docker run -d --name "$name" --read-only --tmpfs /tmp:rw,size=512m \
        --tmpfs /var/cache/recap/djl:rw,exec,size=1g,uid=10001,gid=10001 \
        -v "$work/store:/recap-data/store:$mode" -v "$work/api-keys:/run/secrets/recap-api-keys:ro" \
        -e RECAP_SECURITY_APIKEYSFILE=/run/secrets/recap-api-keys -e RECAP_ML_THREADS=1 \
        -p "127.0.0.1:$((port + 10000)):$port" "$@" "recap/$service:$tag" > /dev/null
}

await_healthy() {  # await_healthy NAME
    local name=recap-smoke-$1 status begin=$SECONDS
    while true; do
        status=$(docker inspect -f '{{.State.Status}} {{.State.Health.Status}}' "$name")
        case "$status" in
            "running healthy") echo "ok   $1 healthy after $((SECONDS - begin)) s"; return ;;
            exited*|dead*) docker logs --tail 30 "$name" >&2; fail "$1 exited" ;;
        esac
        [ $((SECONDS - begin)) -gt 240 ] && { docker logs --tail 30 "$name" >&2; fail "$1 not healthy: $status"; }
        sleep 3
    done
}

confined() {  # confined NAME: runs as uid 10001 and cannot write its root file system
    local name=recap-smoke-$1
    [ "$(docker exec "$name" id -u)" = 10001 ] || fail "$1 does not run as uid 10001"
    if docker exec "$name" touch /app/written 2> /dev/null; then fail "$1 could write its root file system"; fi
    echo "ok   $1 runs as uid 10001 on a read-only root file system"
}

start training-orchestrator 8080 rw -e MANAGEMENT_PORT=9080 -e RECAP_DATA=/tmp/recap-data \
    -e KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9 -e RECAP_STORE=/recap-data/store
start caption-service 8081 ro -e MANAGEMENT_PORT=9081 -e RECAP_STORE=/recap-data/store
start generation-service 8082 ro -e MANAGEMENT_PORT=9082 -e RECAP_STORE=/recap-data/store
start relabel-worker 8083 ro -e MANAGEMENT_PORT=9083 -e RECAP_STORE=/recap-data/store -e KAFKA_BOOTSTRAP=127.0.0.1:9
for service in caption-service generation-service training-orchestrator relabel-worker; do
    await_healthy "$service"
    confined "$service"
done

{
    printf '{"style":"both","imageBase64":"'
    base64 -w0 "$root/recap-integration-tests/src/test/resources/photos/camera.png"
    printf '"}'
} > "$work/caption-request.json"
status=$(curl -s -o "$work/caption.json" -w '%{http_code}' -H "X-API-Key: $key" -H 'Content-Type: application/json' \
    --data-binary "@$work/caption-request.json" http://127.0.0.1:18081/caption)
[ "$status" = 200 ] || fail "POST /caption answered $status: $(cat "$work/caption.json")"
echo "ok   caption-service: $(head -c 200 "$work/caption.json")"
status=$(curl -s -o "$work/generate.png" -w '%{http_code}' -H "X-API-Key: $key" -H 'Content-Type: application/json' \
    -H 'Accept: image/png' -d '{"prompt":"a red circle at the top left","seed":1,"steps":10}' http://127.0.0.1:18082/generate)
[ "$status" = 200 ] || fail "POST /generate answered $status"
echo "ok   generation-service: a $(stat -c %s "$work/generate.png") byte PNG"
status=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18080/jobs)
[ "$status" = 401 ] || fail "GET /jobs without a key answered $status"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $key" http://127.0.0.1:18080/jobs)
[ "$status" = 200 ] || fail "GET /jobs answered $status"
echo "ok   training-orchestrator: /jobs 401 without a key, 200 with one"

set +e
trainer=$(docker run --rm --read-only --tmpfs /tmp --user 10001:10001 "recap/trainer:$tag" 2>&1)
code=$?
set -e
echo "$trainer" | grep -q "RECAP_" || fail "trainer (exit $code) did not name its missing environment: $trainer"
echo "ok   trainer starts and refuses an empty environment (exit $code): $(echo "$trainer" | grep -m1 RECAP_ | cut -c1-120)"

docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' \
    | grep -E "^recap/(training-orchestrator|caption-service|generation-service|relabel-worker|trainer|base-jre):" | sort
echo "images smoke: OK"
