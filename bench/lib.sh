# shellcheck shell=bash
# Shared pieces of the benchmark scripts: sourced, not run.
# Every server a script starts binds 127.0.0.1 (or a unix socket in $BENCH_DIR), serves an app from examples/ (the
# same file for every server that runs its language) and is stopped on exit. Every script measures with `measure`,
# which prints the same table everywhere, then prints its `ratio` lines.
# Knobs: ROUNDS, DURATION, WARMUP, JIT_WARMUP, CONNECTIONS, THREADS (below). A smoke run, which only shows that a
# script works: ROUNDS=1 DURATION=2s WARMUP=1s JIT_WARMUP=1s bench/<script>.sh
set -euo pipefail

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EXAMPLES=$BENCH_ROOT/examples
BENCH_DIR=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-bench.XXXXXX")
chmod 755 "$BENCH_DIR"
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
# The JVM compiles its hot paths while it serves: each Gatehouse gets this much load once, before the rounds.
JIT_WARMUP=${JIT_WARMUP:-20s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
declare -A PID=() RPS=() P99=() CPU=()

# bench_cleanup: stops every server start_bg started (TERM, then KILL for what is left of its tree after 5 s).
bench_cleanup() {
  local -a tree=()
  if [ ${#PID[@]} -gt 0 ]; then
    mapfile -t tree < <(process_tree "${PID[@]}" | cut -d' ' -f1)
    kill -TERM "${PID[@]}" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "${PID[@]}" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "${tree[@]}" 2>/dev/null || true
  fi
  rm -rf "$BENCH_DIR"
}
trap bench_cleanup EXIT

# ensure_dist: builds the distribution unless it exists (set REBUILD=1 to force).
ensure_dist() {
  if [ "${REBUILD:-0}" = 1 ] || [ ! -x "$BENCH_ROOT/packaging/target/gatehouse/bin/gatehouse" ]; then
    (cd "$BENCH_ROOT" && mvn -B -ntp -q -DskipTests package)
  fi
}

# free_port: a TCP port free on 127.0.0.1 now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_http URL: waits up to 60 s for URL to answer 2xx.
wait_http() {
  for _ in $(seq 600); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "bench: $1 did not come up" >&2
  return 1
}

# start_bg NAME CMD...: starts CMD in the background, logging to $BENCH_DIR/NAME.log; its pid is ${PID[NAME]}.
start_bg() {
  local name=$1; shift
  "$@" >"$BENCH_DIR/$name.log" 2>&1 &
  PID[$name]=$!
}

# python_app FILE CALLABLE WORKERS: the YAML of a Gatehouse python app serving CALLABLE of examples/python/FILE.py
# with WORKERS preloaded processes of Debian's python3 (which has Flask).
python_app() {
  printf '  - name: %s\n    runtime: python\n    python: /usr/bin/python3\n    module: %s:%s\n    chdir: %s\n' \
    "$1" "$1" "$2" "$EXAMPLES/python"
  printf '    workers: %s\n    preload: true\n' "$3"
}

# start_gatehouse NAME LISTENERS [APPS]: writes $BENCH_DIR/NAME.yaml from the LISTENERS block (YAML list items)
# and the APPS block (unless given, the example JVM HelloApp with 4 threads, non-blocking unless
# NON_BLOCKING=false), with $IO_THREADS io threads (default 1), and starts Gatehouse on it as NAME.
start_gatehouse() {
  local name=$1 listeners=$2 apps=${3:-}
  if [ -z "$apps" ]; then
    apps="  - name: hello
    runtime: jvm
    mount: /
    class: io.gatehouse.examples.hello.HelloApp
    classpath: [$EXAMPLES/jvm-hello/target/classes]
    threads: 4
    non-blocking: ${NON_BLOCKING:-true}"
  fi
  printf 'listeners:\n%s\napps:\n%s\nmaster:\n  io-threads: %s\n' "$listeners" "$apps" "${IO_THREADS:-1}" \
    >"$BENCH_DIR/$name.yaml"
  start_bg "$name" "$BENCH_ROOT/packaging/target/gatehouse/bin/gatehouse" run -c "$BENCH_DIR/$name.yaml"
}

# start_uwsgi FILE CALLABLE ARGS...: starts uWSGI (python3 plugin, with a master) as `uwsgi`, serving CALLABLE of
# examples/python/FILE.py on the socket and with the processes that ARGS give.
start_uwsgi() {
  local file=$1 callable=$2; shift 2
  start_bg uwsgi uwsgi --plugin python3 --master --die-on-term --disable-logging --chdir "$EXAMPLES/python" \
    --wsgi-file "$EXAMPLES/python/$file.py" --callable "$callable" "$@"
}

# start_nginx < SERVERS: starts nginx as `nginx` (one worker, no access log, no limit on a client's requests per
# connection, temp files in $BENCH_DIR/nginx/tmp)
# with the http-level directives and server blocks read from stdin.
start_nginx() {
  local temp
  mkdir -p "$BENCH_DIR/nginx/tmp"
  {
    if [ "$(id -u)" = 0 ]; then echo "user root;"; fi
    echo "worker_processes 1;"
    echo "pid $BENCH_DIR/nginx/nginx.pid;"
    echo "error_log $BENCH_DIR/nginx/error.log;"
    echo "events { worker_connections 4096; }"
    echo "http {"
    echo "  access_log off;"
    # nginx closes a client's connection after 1000 requests by default; h2load does not reconnect, and a TLS
    # client that does pays a handshake, so each would measure nginx's limit rather than its speed.
    echo "  keepalive_requests 1000000;"
    for temp in client_body fastcgi uwsgi scgi proxy; do echo "  ${temp}_temp_path $BENCH_DIR/nginx/tmp;"; done
    cat
    echo "}"
  } >"$BENCH_DIR/nginx/nginx.conf"
  start_bg nginx /usr/sbin/nginx -p "$BENCH_DIR/nginx" -c "$BENCH_DIR/nginx/nginx.conf" -g "daemon off;"
}

# warm_jit URL...: loads each URL (each path into a Gatehouse) alone for $JIT_WARMUP, so the rounds see compiled
# code. CPython and C need no such warm-up.
warm_jit() {
  local url
  echo "JIT warm-up: $JIT_WARMUP of load on each path into a Gatehouse, before the rounds"
  for url in "$@"; do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$JIT_WARMUP" "$url" >/dev/null 2>&1 || true
  done
}

# process_tree ROOT_PID...: "PID TICKS" for each process in the trees under the ROOT_PIDs (from /proc), TICKS being
# the CPU clock ticks it and its reaped children have spent (utime + stime + cutime + cstime).
process_tree() {
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v roots="$*" '
    { rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " ")  # the name in () may hold spaces
      parent[$1] = f[2]; ticks[$1] = f[12] + f[13] + f[14] + f[15] }
    END {
      n = split(roots, r, " "); for (i = 1; i <= n; i++) if (r[i] in parent) tree[r[i]] = 1
      do { grown = 0; for (p in parent) if (!(p in tree) && (parent[p] in tree)) { tree[p] = 1; grown = 1 } } while (grown)
      for (p in tree) print p, ticks[p]
    }'
}

# cpu_ticks NAME...: the CPU clock ticks spent so far by the process trees of the servers started as NAMEs.
cpu_ticks() {
  local name pids=()
  for name in "$@"; do pids+=("${PID[$name]}"); done
  process_tree "${pids[@]}" | awk '{ t += $2 } END { print t + 0 }'
}

# median FORMAT < VALUES: the middle one of the values, one a line (the mean of the two middle ones for an even
# count), printed with the printf FORMAT.
median() {
  sort -g | awk -v format="$1\n" 'NF { v[++n] = $1 }
    END { printf format, n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }'
}

# row NAME REQ/S P99 CPU CPU_OF: one line of the table.
row() {
  printf '%-32s %12s %10s %11s   %s\n' "$@"
}

# run_wrk NAME URL SERVERS...: a $WARMUP warm-up, then a $DURATION run of wrk against URL; prints its req/s, p99
# (ms) and the CPU time per request (µs) spent by the process trees of SERVERS, and its errors (on stderr).
run_wrk() {
  local name=$1 url=$2 out before after; shift 2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url" >/dev/null 2>&1 || true
  before=$(cpu_ticks "$@")
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url")
  after=$(cpu_ticks "$@")
  grep -E 'Non-2xx|Socket errors' <<<"$out" | sed "s/^/  $name: /" >&2 || true
  awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    /^Requests\/sec:/ { rps = $2 }
    /requests in/ { requests = $1 }
    $1 == "99%" { p99 = $2 + 0; if ($2 ~ /us$/) p99 /= 1000; else if ($2 ~ /[^m]s$/) p99 *= 1000 }
    END { printf "%s %.3f %.1f\n", rps, p99, (requests > 0 ? ticks * 1e6 / hz / requests : 0) }' <<<"$out"
}

# measure NAME|URL|SERVERS...: runs wrk (run_wrk) against each URL in turn for $ROUNDS rounds, SERVERS being the
# names given to start_bg whose CPU time counts (space-separated); prints each run, then the median req/s, p99 and
# CPU per request of each NAME, and records those for `ratio`. RUNNER (a function called as run_wrk is, printing
# "REQ/S LATENCY CPU") and RUNNER_TITLE (its first line) put another load generator in wrk's place.
measure() {
  local round spec name url servers result
  local -a procs fields
  local -A runs=()
  echo "${RUNNER_TITLE:-wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency}, $ROUNDS rounds, each run after a" \
    "$WARMUP warm-up; $(nproc) CPUs, load average $(cut -d' ' -f1 /proc/loadavg)"
  row "" "req/s" "${RUNNER_LATENCY:-p99 ms}" "cpu us/req" "cpu of"
  for round in $(seq "$ROUNDS"); do
    echo "round $round:"
    for spec in "$@"; do
      IFS='|' read -r name url servers <<<"$spec"
      read -ra procs <<<"$servers"
      result=$("${RUNNER:-run_wrk}" "$name" "$url" "${procs[@]}")
      runs[$name]+="$result"$'\n'
      read -ra fields <<<"$result"
      row "  $name" "${fields[@]}" "$servers"
    done
  done
  echo "median of $ROUNDS rounds:"
  for spec in "$@"; do
    IFS='|' read -r name url servers <<<"$spec"
    RPS[$name]=$(cut -d' ' -f1 <<<"${runs[$name]}" | median %.2f)
    P99[$name]=$(cut -d' ' -f2 <<<"${runs[$name]}" | median %.3f)
    CPU[$name]=$(cut -d' ' -f3 <<<"${runs[$name]}" | median %.1f)
    row "  $name" "${RPS[$name]}" "${P99[$name]}" "${CPU[$name]}" "$servers"
  done
}

# ratio A B...: one line for A against each B (as measured by `measure`): the req/s and CPU-per-request ratios
# and both p99s.
ratio() {
  local a=$1 b; shift
  for b in "$@"; do
    awk -v na="$a" -v nb="$b" -v ra="${RPS[$a]}" -v rb="${RPS[$b]}" -v ca="${CPU[$a]}" -v cb="${CPU[$b]}" \
      -v pa="${P99[$a]}" -v pb="${P99[$b]}" 'BEGIN {
        printf "%s vs %s: %.2f x the req/s, %.2f x the cpu per request, p99 %.3f vs %.3f ms\n",
          na, nb, ra / rb, (cb > 0 ? ca / cb : 0), pa, pb }'
  done
}
