#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Where a request's CPU goes, behind nginx over a uwsgi unix socket (the main deployment): Gatehouse with its
# defaults serving examples/python/FILE.py with $WORKERS workers, one nginx worker in front. Under wrk load it
# prints the user and system CPU per request of each thread of the master (from /proc/PID/task), of the workers
# and of nginx, then the master's system calls per request (strace -c, a second, shorter run: strace slows it).
# docs/performance.md explains the figures.
# Usage: bench/breakdown.sh [FILE CALLABLE PATH]   (default: hello application /; lib.sh's knobs; WORKERS, default 4)
source "$(dirname "$0")/lib.sh"
ensure_dist
WORKERS=${WORKERS:-4}
IO_THREADS=${IO_THREADS:-0}
FILE=${1:-hello} CALLABLE=${2:-application} URL_PATH=${3:-/}

start_gatehouse gatehouse "  - protocol: uwsgi
    bind: unix:$BENCH_DIR/gatehouse.sock
    mode: \"0666\"" "$(python_app "$FILE" "$CALLABLE" "$WORKERS")"
PORT=$(free_port)
start_nginx <<<"  server { listen 127.0.0.1:$PORT; location / { include /etc/nginx/uwsgi_params;
    uwsgi_pass unix:$BENCH_DIR/gatehouse.sock; } }"
URL=http://127.0.0.1:$PORT$URL_PATH
wait_http "$URL"
warm_jit "$URL"

# cpu_by_thread: "NAME USER SYS" (clock ticks) for each master thread (its tid and name), worker process and nginx
# worker; workers and threads come and go, so both snapshots are joined on the name.
cpu_by_thread() {
  local t p
  for t in /proc/"${PID[gatehouse]}"/task/*; do
    echo "master:$(basename "$t"):$(tr ' ' _ <"$t/comm") $(awk '{ print $14, $15 }' "$t/stat")"
  done
  for p in $(pgrep -f gatehouse_worker.py); do echo "python:$p $(awk '{ print $14, $15 }' "/proc/$p/stat")"; done
  for p in $(pgrep -P "${PID[nginx]}"); do echo "nginx:$p $(awk '{ print $14, $15 }' "/proc/$p/stat")"; done
}

cpu_by_thread | sort >"$BENCH_DIR/before"
out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$URL")
cpu_by_thread | sort >"$BENCH_DIR/after"
requests=$(awk '/requests in/ { print $1 }' <<<"$out")
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION: $(awk '/^Requests\/sec:/ { print $2 }' <<<"$out") req/s;" \
  "$(nproc) CPUs, load average $(cut -d' ' -f1 /proc/loadavg); CPU per request, µs (user + system):"
join "$BENCH_DIR/before" "$BENCH_DIR/after" | awk -v n="$requests" -v hz="$(getconf CLK_TCK)" '
  { u = ($4 - $2) * 1e6 / hz / n; s = ($5 - $3) * 1e6 / hz / n; split($1, k, ":")
    if (k[1] == "master" && u + s >= 0.05) printf "  %-34s %6.1f + %5.1f\n", $1, u, s
    U[k[1]] += u; S[k[1]] += s }
  END { for (w in U) printf "  %-34s %6.1f + %5.1f\n", w " (all)", U[w], S[w] }'

echo "the master's system calls per request (strace -c -f, 3 s):"
timeout 5 strace -c -f -o "$BENCH_DIR/strace" -p "${PID[gatehouse]}" 2>/dev/null &
tracer=$!
sleep 0.5
requests=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "$URL" | awk '/requests in/ { print $1 }')
wait "$tracer" || true
awk -v n="$requests" '$NF ~ /^[a-z_0-9]+$/ && $4 ~ /^[0-9]+$/ && $NF != "futex" && $NF != "total" {
    printf "  %-16s %5.2f\n", $NF, $4 / n }' "$BENCH_DIR/strace" | sort -k2 -gr | awk '$2 >= 0.05'
