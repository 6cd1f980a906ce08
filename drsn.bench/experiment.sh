#!/usr/bin/env bash
# Builds the benchmarks jar (unless SKIP_BUILD=1) and runs one of drsn.bench's experiment mains with SIMD on:
#   drsn.bench/experiment.sh NoiseExperiment --noises gaussian --snrs -4,0 --models resnet,drsn-cw --seeds 2 --epochs 30
#   drsn.bench/experiment.sh UcrExperiment --sets ECG200,Trace --seeds 2
# Run from the repository root (the data defaults are ../shared/data/cwru and ../shared/data/ucr).
set -euo pipefail
source "$(dirname "$0")/common-pytorch.sh"
MAIN=${1:?usage: experiment.sh NoiseExperiment|UcrExperiment [options]}
shift
build_jar
cd "$ROOT"
# shellcheck disable=SC2086
exec "$JAVA" ${JAVA_OPTS:-} --add-modules jdk.incubator.vector -cp "$JAR" "drsn.bench.$MAIN" "$@"
