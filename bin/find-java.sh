# Finds the JDK that runs Keygate, for bin/keygate and the bench/ scripts. Sourced, not run.
# find_java prints a JDK >= $min (default 21): $JAVA_HOME, else the newest under /usr/lib/jvm,
# else `java` on the PATH; or says what to install and exits with 2.

major() { # prints the feature version of the java binary $1, or 0: from the JDK's release file, else by running it
  local home version
  home=$(dirname "$(dirname "$(readlink -f "$1")")")
  version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null)
  [ -n "$version" ] && { echo "$version"; return; }
  "$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }' || echo 0
}

find_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(major "$JAVA_HOME/bin/java")" -ge ${min:-21} ]; then
    echo "$JAVA_HOME/bin/java"; return
  fi
  local best="" best_version=0 candidate version
  for candidate in /usr/lib/jvm/*/bin/java; do
    [ -x "$candidate" ] || continue
    version=$(major "$candidate")
    if [ "$version" -gt "$best_version" ]; then best=$candidate; best_version=$version; fi
  done
  if [ "$best_version" -ge ${min:-21} ]; then echo "$best"; return; fi
  if command -v java >/dev/null && [ "$(major "$(command -v java)")" -ge ${min:-21} ]; then
    command -v java; return
  fi
  echo "keygate: needs a JDK ${min:-21} or newer; none found in \$JAVA_HOME, /usr/lib/jvm or on the PATH." >&2
  echo "         Install one (for example: apt-get install openjdk-21-jdk) or set JAVA_HOME." >&2
  exit 2
}
