# Sourced by .ci/run and ./drsn: exports JAVA_HOME pointing at a JDK 25, or fails with a clear message.
drsn_is_jdk25() {
  [ -n "${1:-}" ] && [ -x "$1/bin/javac" ] && [ -x "$1/bin/jlink" ] \
    && "$1/bin/java" -version 2>&1 | grep -qE 'version "25([."]|-|")'
}

drsn_find_jdk25() {
  if drsn_is_jdk25 "${JAVA_HOME:-}"; then
    export JAVA_HOME
    return 0
  fi
  local candidate
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25* \
                   /usr/lib/jvm/*25* /opt/java/*25* /Library/Java/JavaVirtualMachines/*25*/Contents/Home; do
    if drsn_is_jdk25 "$candidate"; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if drsn_is_jdk25 "$candidate"; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  fi
  echo "drsn needs a JDK 25 (with javac and jlink); none found. Install one and set JAVA_HOME to it." >&2
  return 1
}
