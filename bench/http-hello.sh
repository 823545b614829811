#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# JVM hello world over HTTP: Gatehouse (the example HelloApp) beside nginx's `return 200`, one worker process or
# io thread each, one machine, one run. Target: Gatehouse >= 0.8 x nginx.
# Usage: bench/http-hello.sh   (lib.sh's knobs; NON_BLOCKING=false runs the app on its pool threads instead of the
#        I/O thread)
source "$(dirname "$0")/lib.sh"
ensure_dist

gh_port=$(free_port)
start_gatehouse gatehouse "  - protocol: http
    bind: 127.0.0.1:$gh_port"
ng_port=$(free_port)
start_nginx <<CONF
  server {
    listen 127.0.0.1:$ng_port;
    location / { default_type text/plain; return 200 "Hello, world!\n"; }
  }
CONF

wait_http "http://127.0.0.1:$gh_port/"
wait_http "http://127.0.0.1:$ng_port/"
echo "one worker process or io thread each; the Gatehouse app is non-blocking: ${NON_BLOCKING:-true}"
warm_jit "http://127.0.0.1:$gh_port/"
measure "gatehouse-jvm|http://127.0.0.1:$gh_port/|gatehouse" "nginx-return-200|http://127.0.0.1:$ng_port/|nginx"
ratio gatehouse-jvm nginx-return-200
