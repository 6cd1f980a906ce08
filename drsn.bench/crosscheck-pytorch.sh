#!/usr/bin/env bash
# Logit cross-check against PyTorch, one command: for every family (ConvNet, ResNet, SE-ResNet,
# DRSN-CS, DRSN-CW; L = 2048, 8 classes) drsn trains the paper's network a few SGD steps, writes
# model.safetensors, an input .npy and its logits; PyTorch loads the model into its own definition
# of the network (drsn.bench/python/drsn_torch.py) and compares. One PASS/FAIL line per family;
# exits non-zero when any family differs by more than the tolerance (default 1e-4).
#
#   drsn.bench/crosscheck-pytorch.sh [DIR]      (SKIP_BUILD=1 reuses the jar; TOLERANCE=1e-4)
set -euo pipefail
source "$(dirname "$0")/common-pytorch.sh"
DIR=${1:-$ROOT/drsn.bench/target/crosscheck}
ensure_torch
build_jar
mkdir -p "$DIR"
"$JAVA" --add-modules jdk.incubator.vector -cp "$JAR" drsn.bench.PeerCrossCheck "$DIR" ${SEED:-5} ${STEPS:-5} 2>/dev/null
exec "$PY" "$ROOT/drsn.bench/python/drsn_torch.py" crosscheck "$DIR" --tolerance "${TOLERANCE:-1e-4}"
