# Shared pieces of the benchmark scripts: sourced, not run.
# Every server a script starts binds 127.0.0.1 (or a unix socket in $BENCH_DIR) and is stopped on exit.
set -euo pipefail

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-bench.XXXXXX")
chmod 755 "$BENCH_DIR"
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-5s}
ROUNDS=${ROUNDS:-3}
declare -a BENCH_PIDS=()
declare -A RPS=() P99=()

bench_cleanup() {
  for pid in "${BENCH_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  sleep 1
  for pid in "${BENCH_PIDS[@]}"; do
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$BENCH_DIR"
}
trap bench_cleanup EXIT

# free_port: a TCP port free on 127.0.0.1 now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_http URL: waits up to 60 s for URL to answer 2xx.
wait_http() {
  for _ in $(seq 1 600); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "bench: $1 did not come up" >&2
  return 1
}

# start_bg NAME CMD...: starts CMD in the background, logging to $BENCH_DIR/NAME.log.
start_bg() {
  local name=$1; shift
  "$@" >"$BENCH_DIR/$name.log" 2>&1 &
  BENCH_PIDS+=($!)
}

# start_gatehouse NAME LISTENERS [APPS]: writes $BENCH_DIR/NAME.yaml from the LISTENERS block (YAML list items)
# and the APPS block (unless given, the JVM HelloApp with 4 threads, non-blocking unless NON_BLOCKING=false), with
# $IO_THREADS io threads (default 1), and starts Gatehouse on it; its pid is then ${BENCH_PIDS[-1]}.
start_gatehouse() {
  local name=$1 listeners=$2 apps=${3:-}
  if [ -z "$apps" ]; then
    apps="  - name: hello
    runtime: jvm
    mount: /
    class: io.gatehouse.examples.hello.HelloApp
    classpath: [$BENCH_ROOT/examples/jvm-hello/target/classes]
    threads: 4
    non-blocking: ${NON_BLOCKING:-true}"
  fi
  printf 'listeners:\n%s\napps:\n%s\nmaster:\n  io-threads: %s\n' "$listeners" "$apps" "${IO_THREADS:-1}" \
    >"$BENCH_DIR/$name.yaml"
  start_bg "$name" "$BENCH_ROOT/packaging/target/gatehouse/bin/gatehouse" run -c "$BENCH_DIR/$name.yaml"
}

# start_nginx < SERVERS: starts nginx (one worker, no access log, temp files in $BENCH_DIR/nginx/tmp) with the
# http-level directives and server blocks read from stdin; its pid is then ${BENCH_PIDS[-1]}.
start_nginx() {
  mkdir -p "$BENCH_DIR/nginx/tmp"
  {
    [ "$(id -u)" = 0 ] && echo "user root;"
    echo "worker_processes 1;"
    echo "pid $BENCH_DIR/nginx/nginx.pid;"
    echo "error_log $BENCH_DIR/nginx/error.log;"
    echo "events { worker_connections 4096; }"
    echo "http {"
    echo "  access_log off;"
    local temp
    for temp in client_body fastcgi uwsgi scgi proxy; do echo "  ${temp}_temp_path $BENCH_DIR/nginx/tmp;"; done
    cat
    echo "}"
  } >"$BENCH_DIR/nginx/nginx.conf"
  start_bg nginx /usr/sbin/nginx -p "$BENCH_DIR/nginx" -c "$BENCH_DIR/nginx/nginx.conf" -g "daemon off;"
}

# ensure_dist: builds the distribution unless it exists (set REBUILD=1 to force).
ensure_dist() {
  if [ "${REBUILD:-0}" = 1 ] || [ ! -x "$BENCH_ROOT/packaging/target/gatehouse/bin/gatehouse" ]; then
    (cd "$BENCH_ROOT" && mvn -q -DskipTests package)
  fi
}

# to_ms VALUE: wrk latency (e.g. 812.00us, 3.21ms, 1.02s) in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

# measure NAME URL [wrk args...]: a warm-up run, then a measured run; records req/s and p99 under NAME.
measure() {
  local name=$1 url=$2; shift 2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$@" "$url" >/dev/null 2>&1 || true
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url")
  echo "$out" >"$BENCH_DIR/$name.wrk"
  local errors
  errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}')
  [ -n "$errors" ] && echo "  $name: $errors" >&2
  RPS[$name]=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
  P99[$name]=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
  printf '%-28s %12s req/s   p99 %9s ms\n' "$name" "${RPS[$name]}" "${P99[$name]}"
}

# ratio A B: prints A's req/s over B's, and their p99s, as one line.
ratio() {
  awk -v a="${RPS[$1]}" -v b="${RPS[$2]}" -v pa="${P99[$1]}" -v pb="${P99[$2]}" -v na="$1" -v nb="$2" \
    'BEGIN { printf "%-28s %.2f x %s (p99 %.3f ms vs %.3f ms)\n", na, a / b, nb, pa, pb }'
}

# tree_pids PID: PID and all its descendants.
tree_pids() {
  echo "$1"
  local child
  for child in $(ps -o pid= --ppid "$1"); do tree_pids "$child"; done
}

# tree_ticks PID: CPU clock ticks (user + system) spent so far by PID and its descendants.
tree_ticks() {
  local total=0 pid
  for pid in $(tree_pids "$1"); do
    [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}

# median VALUES...: the middle value (the mean of the two middle ones for an even count).
median() {
  printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# compare NAME|URL|PID...: each server measured in turn (a warm-up, then the run) for $ROUNDS rounds; records the
# median req/s and p99 under NAME (for `ratio`) and prints them with the CPU microseconds per request.
compare() {
  local round spec name url pid before after requests
  declare -A cpu=()
  for round in $(seq 1 "$ROUNDS"); do
    for spec in "$@"; do
      IFS='|' read -r name url pid <<<"$spec"
      wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url" >/dev/null 2>&1 || true
      before=$(tree_ticks "$pid")
      WARMUP=0s measure "$name#$round" "$url"
      after=$(tree_ticks "$pid")
      requests=$(awk '/requests in/ {print $1}' "$BENCH_DIR/$name#$round.wrk")
      cpu[$name]+="$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" \
        'BEGIN {printf "%.1f", t * 1e6 / hz / n}') "
    done
  done
  echo "median of $ROUNDS rounds:"
  for spec in "$@"; do
    IFS='|' read -r name url pid <<<"$spec"
    RPS[$name]=$(median $(for round in $(seq 1 "$ROUNDS"); do echo "${RPS[$name#$round]}"; done))
    P99[$name]=$(median $(for round in $(seq 1 "$ROUNDS"); do echo "${P99[$name#$round]}"; done))
    printf '%-28s %12s req/s   p99 %9s ms   cpu %7s us/request\n' "$name" "${RPS[$name]}" "${P99[$name]}" \
      "$(median ${cpu[$name]})"
  done
}
