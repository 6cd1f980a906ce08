# Shared by compare-pytorch.sh and crosscheck-pytorch.sh (sourced, not run).
# Debian's python3-torch installs for Debian's own /usr/bin/python3, not for a pyenv/venv Python
# that may come first on PATH; so the Python side always runs /usr/bin/python3.
PY=${PY:-/usr/bin/python3}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/drsn.bench/target/benchmarks.jar"
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

ensure_torch() {
  if "$PY" -c 'import torch, numpy' 2>/dev/null; then
    return
  fi
  echo "== $PY cannot import torch: installing Debian's python3-torch with apt-get" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch python3-numpy
  "$PY" -c 'import torch' || { echo "python3-torch installed but $PY still cannot import torch" >&2; exit 1; }
}

build_jar() {
  if [ "${SKIP_BUILD:-0}" = 1 ] && [ -f "$JAR" ]; then
    return
  fi
  echo "== building drsn.bench/target/benchmarks.jar" >&2
  (cd "$ROOT" && ./mvnw -B -q -pl drsn.bench -am package -DskipTests)
}
