#!/usr/bin/env bash
# Runs docker-compose.yml for real on this host with the images built here (no registry): the stack up with two
# relabel workers, the shipped captioner base and a ShapesWorld corpus put into its store volume, the corpus
# ingested and relabelled through the API while one worker container is killed, every image checked captioned
# once, then the stack stopped and started again and the catalog checked still there. Uses docker-compose (1.29,
# Debian's) or `docker compose`; a project of its own (recap-smoke), removed with its volumes at the end.
#
#   docker/compose-smoke.sh [IMAGES]      # IMAGES: scene count of the corpus (default 400)
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
log "compose smoke: OK in $((SECONDS - begin)) s"
