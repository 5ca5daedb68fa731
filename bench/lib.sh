# Shared by the bench/*/run scripts: the JDK to run on and the build of the benchmark jar.
# Sourced, not run. Sets $root (the checkout) and $java.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_jar="$root/bench/micro/target/benchmarks.jar"
server_jar="$root/keygate-server/target/keygate.jar"

# The JDK bin/keygate runs on (the default java may be 17).
# shellcheck source=../bin/find-java.sh
. "$root/bin/find-java.sh"
java=$(find_java)
java_home=$(dirname "$(dirname "$(readlink -f "$java")")")

# Builds the benchmark jar (and with it the modules it uses) unless BENCH_NO_BUILD=1.
build_bench() {
  if [ "${BENCH_NO_BUILD:-0}" != 1 ] || [ ! -f "$bench_jar" ]; then
    echo "bench: building $bench_jar …" >&2
    (cd "$root" && mvn -B -q -Pbench -pl bench/micro -am package -DskipTests) >&2
  fi
}

# Builds the server jar unless BENCH_NO_BUILD=1.
build_server() {
  if [ "${BENCH_NO_BUILD:-0}" != 1 ] || [ ! -f "$server_jar" ]; then
    echo "bench: building $server_jar …" >&2
    (cd "$root" && mvn -B -q -pl keygate-server -am package -DskipTests) >&2
  fi
}

# One line describing the machine, for the top of every report.
machine_line() {
  echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)," \
    "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
    "$("$java" -version 2>&1 | head -1), commit $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$root" && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && echo '+dirty')"
}

# Busy share of all cores over one second, in percent, from /proc/stat.
machine_busy() {
  local a b
  a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat)
  sleep 1
  b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat)
  echo "$a $b" | awk '{ printf "%.0f\n", 100 * ($3 - $1) / (($4 - $2) > 0 ? ($4 - $2) : 1) }'
}

# The machine is shared (other builds and test suites may run on the same two cores): waits up to
# QUIET_WAIT seconds (default 180) for it to be under QUIET_BUSY percent busy (default 15), then goes on
# either way, saying how busy it was. Every figure is a ratio to a baseline measured in the same run,
# but a neighbour that comes and goes between two runs still shows in the spread.
wait_quiet() {
  local waited=0 busy
  busy=$(machine_busy)
  while [ "$busy" -gt "${QUIET_BUSY:-15}" ] && [ $waited -lt "${QUIET_WAIT:-180}" ]; do
    sleep 4; waited=$(( waited + 5 )); busy=$(machine_busy)
  done
  echo "machine busy before measuring: ${busy}% of all cores (waited ${waited} s for quiet)" >&2
}
