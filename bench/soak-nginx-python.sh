#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The soak beside bench/nginx-python.sh: nginx (one worker) → uwsgi (unix) → Gatehouse with its defaults and
# examples/python/hello.py, $WORKERS workers recycled every 1000 requests (max-requests) and replaced one at a time
# at a reload (reload: chain). wrk loads it for $SOAK_MINUTES minutes (default 5) while `gatehouse reload` runs every
# 30 s (SIGHUP, as `systemctl reload` sends). It prints wrk's totals and errors, nginx's 502/503/504 count, the reloads, and the master's RSS and open
# files each minute; it fails (exit 1) on any failed request or a master RSS that grew by 64 MiB or more from the
# first minute to the last.
# Usage: bench/soak-nginx-python.sh   (SOAK_MINUTES, WORKERS, CONNECTIONS, THREADS)
source "$(dirname "$0")/lib.sh"
ensure_dist
WORKERS=${WORKERS:-4}
SOAK_MINUTES=${SOAK_MINUTES:-5}

# The master's heap pages are touched at its start: otherwise its RSS climbs in the first minutes as the JVM first
# writes to the initial heap it reserved (1/64 of RAM), in steps that say nothing about a leak, least of all for a
# master that allocates little (direct accept). From minute 1 on, the RSS then shows growth alone.
export GATEHOUSE_JAVA_OPTS="${GATEHOUSE_JAVA_OPTS:-} -XX:+AlwaysPreTouch"
start_gatehouse gatehouse "  - protocol: uwsgi
    bind: unix:$BENCH_DIR/gatehouse.sock
    mode: \"0666\"" "$(python_app hello application "$WORKERS")
    max-requests: 1000
    reload: chain"
PORT=$(free_port)
start_nginx <<<"  log_format status \$status;
  server { listen 127.0.0.1:$PORT; access_log $BENCH_DIR/nginx/status.log status;
    location / { include /etc/nginx/uwsgi_params; uwsgi_pass unix:$BENCH_DIR/gatehouse.sock; } }"
wait_http "http://127.0.0.1:$PORT/"
: >"$BENCH_DIR/nginx/status.log" # the 502s of wait_http's tries before Gatehouse was up do not count
master=${PID[gatehouse]} # the launcher execs the JVM

# sample MINUTE: the master's RSS (KiB) and open files.
sample() {
  printf '  minute %2d: master RSS %6d KiB, %4d open files\n' "$1" \
    "$(awk '/^VmRSS:/ { print $2 }' "/proc/$master/status")" "$(find "/proc/$master/fd" -mindepth 1 | wc -l)"
}

echo "nginx → uwsgi (unix) → Gatehouse (defaults; hello, $WORKERS workers, max-requests 1000, reload: chain):" \
  "wrk -t$THREADS -c$CONNECTIONS for $SOAK_MINUTES min, a reload every 30 s"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SOAK_MINUTES}m" "http://127.0.0.1:$PORT/" >"$BENCH_DIR/wrk.out" 2>&1 &
load=$!
reloads=0 first_rss=0 last_rss=0
for second in $(seq 1 $((SOAK_MINUTES * 60))); do
  sleep 1
  if ((second % 30 == 0 && second < SOAK_MINUTES * 60)); then
    reloads=$((reloads + 1))
    kill -HUP "$master"
  fi
  if ((second % 60 == 0)); then
    sample $((second / 60))
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$master/status")
    if ((second == 60)); then first_rss=$rss; fi
    last_rss=$rss
  fi
done
wait "$load"
grep -E 'requests in|Requests/sec|Socket errors|Non-2xx' "$BENCH_DIR/wrk.out" | sed 's/^ */  wrk: /'
# 499: wrk closing its connections at the end, with requests in flight
bad=$(grep -cvE "^(200|499)$" "$BENCH_DIR/nginx/status.log" || true)
sort "$BENCH_DIR/nginx/status.log" | uniq -c | sed "s/^ */  nginx status: /"
echo "  nginx answered $(wc -l <"$BENCH_DIR/nginx/status.log") requests, $bad of them not 200;" \
  "$reloads reloads; master RSS $first_rss KiB at minute 1, $last_rss KiB at the end"
if ((bad > 0)) || grep -qE 'Socket errors|Non-2xx' "$BENCH_DIR/wrk.out" \
  || ((last_rss - first_rss >= 65536)); then
  grep -m10 -E 'error|upstream' "$BENCH_DIR/nginx/error.log" | sed 's/^/  nginx: /' || true
  grep -m20 -E ' (WARN|ERROR|SEVERE) ' "$BENCH_DIR/gatehouse.log" | sed 's/^/  gatehouse: /' || true
  echo "soak: FAILED"
  exit 1
fi
echo "soak: zero failed requests, RSS flat"
