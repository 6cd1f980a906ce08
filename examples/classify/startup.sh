#!/usr/bin/env bash
# Time from process start to the first prediction of the example's image: the wall time from
# launching bin/classify to its first answer on stdout (one signal of the sample model's, the
# paper's DRSN-CW at L = 2048), median of N runs, plus the CPU time (user + system) of whole
# one-signal runs. Measured as built (no ahead-of-time cache unless built with -Dclassify.aot), with
# an ahead-of-time cache written into a temporary folder by a training run on the sample signals,
# and without SIMD. Run after the build:
#   examples/classify/startup.sh [N, default 11]
set -euo pipefail
cd "$(dirname "$0")/target"
n="${1:-11}"
head -1 sample/signals.txt > sample/one.txt
first_answer_ms() {
  local start end
  start=$(date +%s%N)
  "$@" 2>/dev/null | { read -r _; end=$(date +%s%N); echo $(( (end - start) / 1000000 )); cat >/dev/null; }
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
cpu_ms() {
  local t
  t=$(mktemp)
  /usr/bin/time -f "%U %S" -o "$t" "$@" >/dev/null 2>&1
  awk '{printf "%d\n", ($1 + $2) * 1000}' "$t"
  rm -f "$t"
}
report() {
  local label="$1"; shift
  local walls=() cpus=()
  for _ in $(seq "$n"); do
    walls+=("$(CLASSIFY_JAVA_OPTS="$*" first_answer_ms image/bin/classify --model sample/model.safetensors sample/one.txt)")
    cpus+=("$(CLASSIFY_JAVA_OPTS="$*" cpu_ms image/bin/classify --model sample/model.safetensors sample/one.txt)")
  done
  printf '%-34s first answer %5s ms (median of %s; min %s, max %s)   CPU %5s ms\n' "$label" \
    "$(printf '%s\n' "${walls[@]}" | median)" "$n" "$(printf '%s\n' "${walls[@]}" | sort -n | head -1)" \
    "$(printf '%s\n' "${walls[@]}" | sort -n | tail -1)" "$(printf '%s\n' "${cpus[@]}" | median)"
}
aot=$(mktemp -d)
trap 'rm -rf "$aot"' EXIT
CLASSIFY_JAVA_OPTS="-XX:AOTCacheOutput=$aot/classify.aot" \
  image/bin/classify --model sample/model.safetensors sample/signals.txt >/dev/null 2>&1
echo "image: $(du -sb image | cut -f1) bytes ($(du -sh image | cut -f1)); an ahead-of-time cache adds $(du -sb "$aot/classify.aot" | cut -f1) bytes"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
report "as built" ""
report "with an AOT cache" "-XX:AOTCache=$aot/classify.aot"
report "as built, no SIMD at all" "-Ddrsn.simd=false"
