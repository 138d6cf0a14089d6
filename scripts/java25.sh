# Sourced by every script: selects a JDK 25 or newer and exports JAVA_HOME and JAVA.
# Honours JAVA_HOME when it points at Java >= 25; otherwise looks under /usr/lib/jvm.

java_major() { # prints the feature version of the JDK whose java binary is $1, or nothing
  local home release
  home=$(dirname "$(dirname "$1")")
  release="$home/release"
  if [ -f "$release" ]; then # every JDK ships it: reading it is instant, starting java is not
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" | head -1
  else
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -1
  fi
}

select_java25() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "${major%%.*}" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export JAVA="$candidate/bin/java"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "mpool: no Java 25 found. Install a JDK 25 (e.g. Temurin 25 under /usr/lib/jvm) or set JAVA_HOME to one." >&2
  return 1
}

select_java25 || exit 1
