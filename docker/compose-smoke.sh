#!/usr/bin/env bash
# Runs docker-compose.yml for real on this host with the images built here (no registry): the stack up with two
# relabel workers, the shipped captioner base and a ShapesWorld corpus put into its store volume, the corpus
# ingested and relabelled through the API while one worker container is killed, every image checked captioned
# once, then the stack stopped and started again and the catalog checked still there. Last, the launcher drives the
# RECAP smoke loop through the stack's published ports (--platform-url), writing its corpus into the stack's data
# directory, here a host directory (RECAP_DATA_DIR) instead of the named volume. Uses docker-compose (1.29, Debian's)
# or `docker compose`; a project of its own (recap-smoke), removed with its volumes at the end.
#
#   docker/compose-smoke.sh [IMAGES]      # IMAGES: scene count of the corpora (default 400)
#
# The launcher step needs root (it gives what it writes to uid 10001, the services' user) and the launcher's jar;
# RECAP_SMOKE_LAUNCHER=0 leaves it out and keeps the named volume.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
count=${1:-400}
project=recap-smoke
work=$(mktemp -d)
compose() {
    if command -v docker-compose > /dev/null; then docker-compose -p "$project" -f "$root/docker-compose.yml" "$@"
    else docker compose -p "$project" -f "$root/docker-compose.yml" "$@"; fi
}
log() { echo "$(date +%H:%M:%S) $*"; }
fail() { echo "FAIL: $*" >&2; compose logs --tail 40 >&2 || true; exit 1; }
cleanup() { compose down -v --remove-orphans > /dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
with_launcher=${RECAP_SMOKE_LAUNCHER:-1}
if [ "$with_launcher" = 1 ]; then
    [ "$(id -u)" = 0 ] || { echo "the launcher step needs root (or RECAP_SMOKE_LAUNCHER=0)" >&2; exit 2; }
    launcher_jar=$root/recap-launcher/target/recap-launcher.jar
    [ -f "$launcher_jar" ] || { echo "no $launcher_jar: mvn -B -ntp install -DskipTests" >&2; exit 2; }
    # A bind mount is not filled from the image as a new named volume is: it must belong to the services' user.
    export RECAP_DATA_DIR=$work/recap-data
    install -d -o 10001 -g 10001 "$RECAP_DATA_DIR"
fi

# Local images, secrets and passwords of this run only.
export KAFKA_IMAGE=recap/base-kafka:4.1.2 POSTGRES_IMAGE=recap/base-postgres:15 RECAP_BASE_IMAGE=recap/base-jre:17
export POSTGRES_HOST_PORT=${POSTGRES_HOST_PORT:-15432}
export RECAP_API_KEYS_FILE=$work/api-keys POSTGRES_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
key=$("$root/docker/new-api-key.sh" smoke admin "$RECAP_API_KEYS_FILE" 2> /dev/null)
"$root/docker/new-kafka-passwords.sh" "$work/kafka.env" > /dev/null
set -a; . "$work/kafka.env"; set +a
api() {  # api METHOD PATH [JSON] -> body; fails on a non-2xx answer
    local out=$work/answer status
    status=$(curl -s -o "$out" -w '%{http_code}' -X "$1" -H "X-API-Key: $key" -H 'Content-Type: application/json' \
        ${3:+-d "$3"} "http://127.0.0.1:8080$2")
    [ "${status:0:1}" = 2 ] || fail "$1 $2 answered $status: $(cat "$out")"
    cat "$out"
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {'d': d}))" "$1"; }
await_ready() {
    local begin=$SECONDS
    until curl -sf "http://127.0.0.1:8080/jobs" -H "X-API-Key: $key" > /dev/null; do
        [ $((SECONDS - begin)) -gt 300 ] && fail "the orchestrator did not answer within 300 s"
        sleep 3
    done
    log "orchestrator answers after $((SECONDS - begin)) s"
}

begin=$SECONDS
compose up -d --scale relabel-worker=2 kafka kafka-init postgres training-orchestrator relabel-worker 2>&1 | tail -3
await_ready
orchestrator=$(compose ps -q training-orchestrator)
workers=($(compose ps -q relabel-worker))
[ ${#workers[@]} = 2 ] || fail "expected 2 relabel workers, found ${#workers[@]}"
log "stack up with ${#workers[@]} relabel workers in $((SECONDS - begin)) s"

# The shipped captioner base in the store, and a corpus where the orchestrator may ingest from.
java -jar "$root/shapes-world/target/shapes-world.jar" generate --out "$work/corpus" --count "$count" --seed 7 > /dev/null
# Unpacked inside the orchestrator's container, so the files belong to its user (the containers drop every
# capability: even their root could not chown what `docker cp` wrote as root).
docker exec "$orchestrator" mkdir -p /recap-data/store/models /recap-data/corpora/smoke
tar -C "$root/models" -c captioner | docker exec -i "$orchestrator" tar -x --no-same-owner -C /recap-data/store/models
tar -C "$work/corpus" -c . | docker exec -i "$orchestrator" tar -x --no-same-owner -C /recap-data/corpora/smoke
captioner=captioner/shapes-captioner-base/v1

api POST /corpora/smoke/ingest '{"manifestDir":"/recap-data/corpora/smoke"}' > /dev/null
until [ "$(api GET /corpora/smoke 2> /dev/null | json 'd["imageCount"]' 2> /dev/null || echo 0)" = "$count" ]; do sleep 2; done
log "ingested $count images"

job=$(api POST /jobs "{\"kind\":\"RELABEL\",\"spec\":{\"corpusId\":\"smoke\",\"captioner\":\"$captioner\",\"styles\":[\"short\",\"long\"]}}" \
    | json 'd["jobId"]')
killed=
while true; do
    state=$(api GET "/jobs/$job" | json 'd["state"]')
    captioned=$(api GET /corpora/smoke | json "sum(v.get('LONG', 0) for v in d['captions'].values())")
    [ -n "$captioned" ] || captioned=0
    if [ -z "$killed" ] && [ "$captioned" -gt $((count / 5)) ]; then
        docker kill "${workers[0]}" > /dev/null
        killed=$captioned
        log "killed worker ${workers[0]:0:12} with $captioned of $count images captioned"
    fi
    case "$state" in SUCCEEDED) break ;; FAILED|CANCELLED) fail "RELABEL ended $state" ;; esac
    sleep 2
done
[ -n "$killed" ] || fail "the RELABEL ended before a worker could be killed; use more images"
details=$(api GET /corpora/smoke)
long=$(echo "$details" | json "d['captions']['$captioner'].get('LONG', 0)")
short=$(echo "$details" | json "d['captions']['$captioner'].get('SHORT', 0)")
failed=$(echo "$details" | json "sum(d['relabelFailures'].values())")
log "RELABEL $job succeeded: SHORT $short, LONG $long, failed $failed of $count"
[ "$long" = "$count" ] && [ "$short" = "$count" ] || fail "not every image captioned once after the kill"

compose stop > /dev/null 2>&1
log "stack stopped"
compose start > /dev/null 2>&1
await_ready
again=$(api GET /corpora/smoke | json "d['captions']['$captioner'].get('LONG', 0)")
[ "$again" = "$count" ] || fail "after the restart the catalog holds $again LONG captions, not $count"
log "after stop and start: $again LONG captions, the catalog kept"

if [ "$with_launcher" = 1 ]; then
    # The serving services start now: they serve nothing until the loop promotes models, which they pick up from
    # the store, and the launcher waits for that.
    compose up -d caption-service generation-service 2>&1 | tail -2
    log "launcher: the RECAP smoke loop through http://127.0.0.1:8080, 8081 and 8082"
    RECAP_API_KEY=$key java -Djava.awt.headless=true -jar "$launcher_jar" --platform-url http://127.0.0.1:8080 \
        --platform-data "$RECAP_DATA_DIR" --platform-data-path /recap-data --data "$work/launcher" \
        --preset smoke --count "$count" > "$work/launcher.log" 2>&1 \
        || { tail -40 "$work/launcher.log" >&2; fail "the launcher's loop against the stack failed"; }
    grep -v '^  ' "$work/launcher.log" | grep -E '^(platform|ingest|[A-Z_0-9]+ job .* succeeded|caption-service|generation-service|t2i-recap|wall time)' || true
    transcript=$(sed -n 's/^transcript: *//p' "$work/launcher.log")
    for call in '/corpora/shapes-42-smoke/ingest' '"manifestDir":"/recap-data/corpora/shapes-42-smoke"' \
            'CAPTIONER_FINETUNE' '"RELABEL"' 'T2I_FINETUNE' 'EVALUATE' '/models/comparison' \
            'http://127.0.0.1:8081/caption' 'http://127.0.0.1:8082/generate'; do
        grep -qF "$call" "$transcript" || fail "the launcher's transcript shows no $call"
    done
    [ -s "$(sed -n 's/^generated image: *//p' "$work/launcher.log")" ] || fail "the launcher generated no image"
    log "launcher: the loop finished against the stack; transcript $(grep -c '^\$ curl' "$transcript") calls"
fi
log "compose smoke: OK in $((SECONDS - begin)) s"
