#!/usr/bin/env bash
# Side-by-side benchmark of drsn against PyTorch on this machine, one command: the paper's networks
# (ConvNet, ResNet, DRSN-CS, DRSN-CW; L = 2048, 8 classes, batch 128) — training step at 1 and 2
# threads, samples/s, batch-1 inference latency (median, p99), batch-128 inference throughput and
# peak resident memory, each (model, threads) configuration in its own process, drsn then PyTorch
# back to back. Prints one Markdown table; writes drsn.bench/target/compare/compare.{md,json}
# and the raw per-configuration JSON files next to them. Not part of ./mvnw verify.
#
#   drsn.bench/compare-pytorch.sh
# Environment: MODELS (convnet,resnet,drsn-cs,drsn-cw), THREADS ("1 2"), TIMED_SECONDS (timed seconds per
#   measurement, 5), WARMUP (3), MICRO (drsn micro-batch, 32), JAVA_OPTS (-Xmx256m),
#   OUT (drsn.bench/target/compare), SKIP_BUILD=1 (reuse the jar).
set -euo pipefail
source "$(dirname "$0")/common-pytorch.sh"
MODELS=${MODELS:-convnet,resnet,drsn-cs,drsn-cw}
THREADS=${THREADS:-"1 2"}
# Not SECONDS: bash keeps that one as its own clock (0 at start, counting up).
SECONDS_PER=${TIMED_SECONDS:-5}
WARMUP=${WARMUP:-3}
MICRO=${MICRO:-32}
JAVA_OPTS=${JAVA_OPTS:--Xmx256m}
OUT=${OUT:-$ROOT/drsn.bench/target/compare}

ensure_torch
build_jar
rm -rf "$OUT" && mkdir -p "$OUT"
load() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_BEFORE=$(load)
for m in ${MODELS//,/ }; do
  for t in $THREADS; do
    echo "== $m, $t thread(s): drsn" >&2
    # shellcheck disable=SC2086
    "$JAVA" $JAVA_OPTS --add-modules jdk.incubator.vector -cp "$JAR" drsn.bench.PeerBench --model "$m" \
      --threads "$t" --seconds "$SECONDS_PER" --warmup "$WARMUP" --micro "$MICRO" --json "$OUT/drsn-$m-t$t.json" \
      2>"$OUT/drsn-$m-t$t.log" >/dev/null
    echo "== $m, $t thread(s): PyTorch" >&2
    "$PY" "$ROOT/drsn.bench/python/drsn_torch.py" bench --models "$m" --threads "$t" --seconds "$SECONDS_PER" \
      --warmup "$WARMUP" --json "$OUT/torch-$m-t$t.json" >/dev/null
  done
done
LOAD_AFTER=$(load)
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
cat > "$OUT/machine.json" <<JSON
{"cpu": "$CPU", "cpus": $(nproc), "load_before": "$LOAD_BEFORE", "load_after": "$LOAD_AFTER",
 "date": "$(date -u +%Y-%m-%dT%H:%MZ)", "java_opts": "$JAVA_OPTS", "java": "$("$JAVA" -version 2>&1 | head -1 | tr -d '"')"}
JSON
"$PY" "$ROOT/drsn.bench/python/compare_table.py" "$OUT" --machine "$OUT/machine.json"
