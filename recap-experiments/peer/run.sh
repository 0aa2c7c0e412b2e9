#!/usr/bin/env bash
# The PyTorch peer benchmark: the platform's text-to-image and captioner networks timed on DJL
# (the platform's own code paths) and in PyTorch eager (the same networks, loaded with the same
# weights and checked to compute the same outputs), one thread pinned to one core, in
# alternating rounds. Writes every round's JSON, the medians and the ratios under OUT.
#
#   mvn -B -ntp install -DskipTests              # builds recap-experiments/target/recap-experiments.jar
#   recap-experiments/peer/run.sh [ROUNDS] [OUT]  # default 4 rounds into recap-experiments/target/peer
#
# PyTorch comes from PEER_PYTHON (a python with torch) or a venv this script makes under
# target/peer-venv with `pip install torch numpy` (pip's own index settings apply; PIP_ARGS adds
# options, e.g. PIP_ARGS="--no-index --find-links /opt/wheels"). PEER_CORE picks the core (1).
# PEER_REPEATS sets the timed runs per op and round (5). PEER_NETWORKS limits the networks ("t2i captioner"); PEER_DOC=docs/performance.json also writes the
# summary there; PEER_BEFORE_LIB=DIR (an earlier build's recap-experiments/target/lib, or any folder
# with its recap-ml jar and dependencies) times that build too, in the same rounds. Nothing here is a
# platform dependency.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$here")"
rounds="${1:-4}"
out="${2:-$module/target/peer}"
core="${PEER_CORE:-1}"
repeats="${PEER_REPEATS:-5}"
networks="${PEER_NETWORKS:-t2i captioner}"
jar="$module/target/recap-experiments.jar"
[ -f "$jar" ] || { echo "build first: mvn -B -ntp install -DskipTests ($jar missing)" >&2; exit 2; }
picocli="$(ls "$module"/target/lib/picocli-*.jar 2>/dev/null | head -1)"

python="${PEER_PYTHON:-}"
if [ -z "$python" ]; then
  venv="$module/target/peer-venv"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import torch' 2>/dev/null; then
    python3 -m venv "$venv"
    # shellcheck disable=SC2086
    "$venv/bin/pip" install -q ${PIP_ARGS:-} torch numpy
  fi
  python="$venv/bin/python"
fi
mkdir -p "$out"
echo "peer benchmark: $rounds rounds, core $core, $("$python" -c 'import torch; print("PyTorch", torch.__version__)')"

djl() { # network round
  taskset -c "$core" java -Dai.djl.offline=true -Drecap.ml.threads=1 -jar "$jar" --network "$1" --repeats "$repeats" \
    --weights "$out/weights-$1" --out "$out/$1-djl-$2.json" > "$out/$1-djl-$2.log" 2>&1
  if [ -n "${PEER_BEFORE_LIB:-}" ]; then
    # The same benchmark class against an earlier build's jars (its target/lib): "before" beside "after". This
    # build's picocli comes first, as an earlier build's lib may not hold it.
    taskset -c "$core" java -Dai.djl.offline=true -Drecap.ml.threads=1 \
      -cp "$module/target/classes:$picocli:$PEER_BEFORE_LIB/*" io.recap.experiments.peer.PeerBenchmark --network "$1" \
      --repeats "$repeats" --weights "$out/weights-before-$1" --out "$out/$1-before-$2.json" > "$out/$1-before-$2.log" 2>&1
  fi
}
peer() { # network round
  taskset -c "$core" "$python" "$here/${1}_peer.py" --weights "$out/weights-$1" --threads 1 --repeats "$repeats" \
    > "$out/$1-pytorch-$2.json" 2> "$out/$1-pytorch-$2.log"
}
for network in $networks; do
  for round in $(seq 1 "$rounds"); do
    # Alternate which side runs first, so drift in the machine's speed falls on both.
    if [ $((round % 2)) -eq 1 ]; then djl "$network" "$round"; peer "$network" "$round";
    else peer "$network" "$round"; djl "$network" "$round"; fi
    echo "  $network round $round done"
  done
done
"$python" "$here/compare.py" "$out" ${PEER_DOC:+"$PEER_DOC"}
