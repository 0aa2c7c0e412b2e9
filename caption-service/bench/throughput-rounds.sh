#!/usr/bin/env bash
# Service against offline captioning throughput at batch / concurrency 32, in interleaved rounds.
#
# On a shared machine one pair of numbers says little (this VM's offline batch-32 number moved
# between 88 and 201 img/s from one run to the next), so after a long warm-up of the service
# (the JIT takes about two minutes of load to settle here), each round measures the offline
# benchmark and then the service right after it, and takes the ratio per round; the median round
# is the result. Two offline numbers per round: a batch of 32 in one pass over every core, and
# the same batch cut into WORKERS slices decoded at once, each single-threaded, as the service
# decodes its batches. The offline side is recap-experiments' CaptionerBenchmark, run from
# recap-experiments/target/recap-experiments.jar, whose lib/ holds the same recap-ml, DJL and PyTorch jars as the
# service (one reactor build, one set of managed versions): same engine, natives, model code.
#
# build first: mvn -B -o -q package -DskipTests   (the service jar and recap-experiments.jar with its lib/)
#
# usage: caption-service/bench/throughput-rounds.sh STORE MODEL_REF IMAGES_DIR [ROUNDS]
#   e.g. ... /tmp/cap/store captioner/shapes/v1 /tmp/cap/corpus/images 3
# env:   WORKERS (recap.caption.workers and offline slices, default 2), PORT (default 18081),
#        WARMUP_SECONDS (default 150), SERVICE_SECONDS and OFFLINE_SECONDS (per measurement,
#        default 30 and 15)
set -euo pipefail
store=$1 model=$2 images=$3 rounds=${4:-3}
workers=${WORKERS:-2} port=${PORT:-18081} warmup=${WARMUP_SECONDS:-150}
service_seconds=${SERVICE_SECONDS:-30} offline_seconds=${OFFLINE_SECONDS:-15}
root=$(cd "$(dirname "$0")/../.." && pwd)
jar=$(ls "$root"/caption-service/target/caption-service-*.jar | grep -v original | head -1)
experiments_jar="$root/recap-experiments/target/recap-experiments.jar"
[ -f "$experiments_jar" ] || { echo "build first: mvn -B -o -q package -DskipTests ($experiments_jar missing)" >&2; exit 2; }
client="$root/caption-service/src/test/java/io/recap/caption/bench/CaptionLoadClient.java"
model_dir="$store/models/$model"
log=$(mktemp -t caption-service-XXXX.log)

java -Djava.awt.headless=true -jar "$jar" --server.port="$port" --recap.caption.model-store="$store" \
    --recap.caption.model="$model" --recap.caption.workers="$workers" >"$log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null 2>&1 && break
    sleep 1
done
curl -fs "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null || { cat "$log"; exit 1; }

service_rate() { # images/s of the service at concurrency 32 for $1 seconds (the load client's row)
    java "$client" url="http://127.0.0.1:$port" images="$images" style=short beam=1 concurrency=32 \
        requests=1000000 seconds="$1" warmup=100 metrics=false | awk '$1 == 32 { print $4 }'
}
offline_rate() { # images/s offline at batch 32 in $1 slices, beam 1 (the benchmark's second, warm column)
    java -Djava.awt.headless=true -cp "$experiments_jar" io.recap.experiments.captioner.CaptionerBenchmark \
        --model "$model_dir" --images "$images" \
        --words 0 --style short --beam 1 --batches 32 --seconds "$offline_seconds" --slices "$1" 2>/dev/null \
        | awk '$1 == 32 { print $3 }'
}

echo "warming the service up for ${warmup} s (JIT, batch sizes) ..."
service_rate "$warmup" >/dev/null
printf '%5s %20s %22s %14s %9s %9s\n' round "offline 1 pass img/s" "offline $workers slices img/s" "service img/s" ratio_1 "ratio_$workers"
one=() sliced=()
for round in $(seq 1 "$rounds"); do
    offline_one=$(offline_rate 1)
    offline_sliced=$(offline_rate "$workers")
    served=$(service_rate "$service_seconds")
    one+=("$(awk -v s="$served" -v o="$offline_one" 'BEGIN { printf "%.2f", s / o }')")
    sliced+=("$(awk -v s="$served" -v o="$offline_sliced" 'BEGIN { printf "%.2f", s / o }')")
    printf '%5d %20s %22s %14s %9s %9s\n' "$round" "$offline_one" "$offline_sliced" "$served" "${one[-1]}" "${sliced[-1]}"
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
echo "median service/offline at 32 (workers $workers): $(median "${one[@]}") against one pass over all cores," \
    "$(median "${sliced[@]}") against $workers single-threaded slices"
