#!/usr/bin/env bash
# The runs behind README.md's performance table, in one command, each with its output saved under
# drsn.bench/target/perf/ (one file per row group) and the lines that give the table printed at the
# end. The FMA peak (FmaPeakBenchmark's register-only chains) is measured in the same run, so every
# figure can be stated as a fraction of what a core here can do. Takes 7–12 minutes; needs both
# cores free (two-thread rows in particular). Not part of ./mvnw verify.
#
#   drsn.bench/perf-table.sh            (SKIP_BUILD=1 reuses drsn.bench/target/benchmarks.jar)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
J="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAR=drsn.bench/target/benchmarks.jar
OUT=drsn.bench/target/perf
if [ "${SKIP_BUILD:-}" != 1 ]; then
  ./mvnw -q -B -pl drsn.bench -am package -DskipTests
fi
mkdir -p "$OUT"
echo "commit $(git rev-parse --short HEAD), $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/when.txt"
VEC=(--add-modules jdk.incubator.vector)
run() { local name=$1; shift; echo ">> $name: $*"; "$@" > "$OUT/$name.txt" 2>&1; }
run fma "$J" -jar "$JAR" FmaPeakBenchmark -f 1 -wi 3 -i 5 -w 1 -r 1
run sgemm "$J" "${VEC[@]}" -cp "$JAR" drsn.bench.SgemmBestOf simd 1 NN:512x512x512 NN:1024x1024x1024
run sgemm2 "$J" "${VEC[@]}" -cp "$JAR" drsn.bench.SgemmBestOf simd 2 NN:512x512x512 NN:1024x1024x1024
run sgemm-scalar "$J" -cp "$JAR" drsn.bench.SgemmBestOf scalar 1 NN:512x512x512
run kernels "$J" -jar "$JAR" "SoftThresholdBenchmark|NetworkBenchmark" -p path=simd -f 1 -wi 3 -i 5 -w 1 -r 1 -prof gc
run conv "$J" -jar "$JAR" Conv1dBenchmark -p channels=4,16 -p length=512 -f 1 -wi 2 -i 3 -w 1 -r 1
run train "$J" -jar "$JAR" TrainingStepBenchmark -p path=simd -p threads=1,2 -f 2 -wi 4 -i 6 -w 2 -r 2
run profile-train "$J" "${VEC[@]}" -cp "$JAR" drsn.bench.LayerProfile train drsn-cw 20 10 2.89
run profile-infer "$J" "${VEC[@]}" -cp "$JAR" drsn.bench.LayerProfile infer drsn-cw 20 10 2.89
run fma-after "$J" -jar "$JAR" FmaPeakBenchmark -f 1 -wi 3 -i 5 -w 1 -r 1
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/when.txt"

peak() {  # GFLOP/s from FmaPeakBenchmark's µs/op: 2^20 iterations x 12 chains x lanes x 2 flops
  awk -v lanes="${LANES:-16}" '/^FmaPeakBenchmark.fmaChains/ {printf "%.1f", 1048576*12*lanes*2/($4*1e3)}' "$1"
}
echo
echo "FMA peak, 1 thread (before / after the runs): $(peak "$OUT/fma.txt") / $(peak "$OUT/fma-after.txt") GFLOP/s (LANES=${LANES:-16})"
grep -h "GFLOP/s" "$OUT/sgemm.txt" "$OUT/sgemm2.txt" "$OUT/sgemm-scalar.txt" || true
grep -hE "^(Benchmark|SoftThreshold|Network|Conv1d|TrainingStep)[A-Za-z.]* " "$OUT/kernels.txt" "$OUT/conv.txt" "$OUT/train.txt" | grep -v "·gc\.\(count\|time\|alloc.rate \)" || true
grep -h "best\|FMA peak" "$OUT/profile-train.txt" "$OUT/profile-infer.txt" | head -6
