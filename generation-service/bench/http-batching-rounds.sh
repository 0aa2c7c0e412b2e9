#!/usr/bin/env bash
# Generation-service over HTTP, as a user measures it: 8 clients each asking for one image (and again as soon as
# they have it) against one client asking for 8 images at a time, the same number of images each way, alternating
# which goes first, in rounds; prints images/s of each and their ratio (goal: c8 / count8 >= 0.85).
#   generation-service/bench/http-batching-rounds.sh URL API_KEY [ROUNDS] [REQUESTS_PER_CLIENT] [STEPS]
set -euo pipefail
url=$1 key=$2 rounds=${3:-5} per=${4:-4} steps=${5:-25}
generate() { # seed count -> HTTP status
    curl -s -o /dev/null -w '%{http_code}\n' -H "X-API-Key: $key" -H 'Content-Type: application/json' \
        -d "{\"prompt\":\"a red circle at the top left\",\"seed\":$1,\"count\":$2,\"steps\":$steps}" "$url/generate"
}
export -f generate; export url key steps
images=$((8 * per))
c8() { seq 1 "$images" | xargs -P 8 -I{} bash -c 'generate {} 1' | grep -vc '^200$' || true; }
count8() { for i in $(seq 1 "$per"); do generate "$i" 8; done | grep -vc '^200$' || true; }
timed() { local begin end failed; begin=$(date +%s.%N); failed=$("$1"); end=$(date +%s.%N)
    [ "$failed" = 0 ] || { echo "$1: $failed requests failed" >&2; exit 1; }
    echo "$images / ($end - $begin)" | bc -l; }
timed count8 > /dev/null; timed c8 > /dev/null # warm-up
printf '%5s %12s %12s %9s\n' round count8 c8 ratio
ratios=()
for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) = 1 ]; then a=$(timed count8); b=$(timed c8); else b=$(timed c8); a=$(timed count8); fi
    ratio=$(echo "$b / $a" | bc -l); ratios+=("$ratio")
    printf '%5d %12.2f %12.2f %9.3f\n' "$round" "$a" "$b" "$ratio"
done
printf 'median c8 / count8 %.3f over %d rounds of %d images, %d DDIM steps\n' \
    "$(printf '%s\n' "${ratios[@]}" | sort -g | sed -n "$(( (rounds + 1) / 2 ))p")" "$rounds" "$images" "$steps"
