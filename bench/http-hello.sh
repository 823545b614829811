#!/usr/bin/env bash
# JVM hello world over HTTP: Gatehouse beside nginx's `return 200`, one machine, one run.
# Prints the median req/s and p99 of each over $ROUNDS rounds, CPU per request, and their ratio.
# Target: Gatehouse >= 0.8 x nginx.
# Usage: bench/http-hello.sh   (ROUNDS, DURATION, CONNECTIONS, THREADS, WARMUP override the wrk settings;
#        NON_BLOCKING=false runs the app on its pool threads instead of the I/O thread)
source "$(dirname "$0")/lib.sh"
ensure_dist

gh_port=$(free_port)
start_gatehouse gatehouse "  - protocol: http
    bind: 127.0.0.1:$gh_port"
gh_pid=${BENCH_PIDS[-1]}

ng_port=$(free_port)
start_nginx <<CONF
  server {
    listen 127.0.0.1:$ng_port;
    location / { default_type text/plain; return 200 "Hello, world!\n"; }
  }
CONF
ng_pid=${BENCH_PIDS[-1]}

wait_http "http://127.0.0.1:$gh_port/"
wait_http "http://127.0.0.1:$ng_port/"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS rounds (each run after a $WARMUP warm-up), one worker" \
  "process/io thread each"
compare "gatehouse-jvm|http://127.0.0.1:$gh_port/|$gh_pid" "nginx-return-200|http://127.0.0.1:$ng_port/|$ng_pid"
ratio gatehouse-jvm nginx-return-200
