#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Hello world behind nginx over uwsgi: nginx → uwsgi_pass → Gatehouse (the example JVM HelloApp, and
# examples/python/hello.py in Python workers) beside nginx → uwsgi_pass → uWSGI (Debian's uwsgi with the python3
# plugin, the same hello.py), one machine, one run. Every back end listens on a unix socket, as in most deployments,
# and gets 4 workers: Gatehouse one JVM app with 4 threads or 4 Python worker processes (preloaded), uWSGI 4
# processes. One nginx (one worker) fronts all three; the CPU per request is nginx's and the back end's.
# A connection per request takes the JVM longer to compile: keep JIT_WARMUP at its 20 s or more.
# Usage: bench/nginx-uwsgi.sh   (lib.sh's knobs)
source "$(dirname "$0")/lib.sh"
ensure_dist

start_gatehouse gatehouse "  - protocol: uwsgi
    bind: unix:$BENCH_DIR/gatehouse.sock
    mode: \"0666\""
start_gatehouse gatehouse-python "  - protocol: uwsgi
    bind: unix:$BENCH_DIR/gatehouse-python.sock
    mode: \"0666\"" "$(python_app hello application 4)"
start_uwsgi hello application --socket "$BENCH_DIR/uwsgi.sock" --chmod-socket=666 --processes 4

gh_port=$(free_port)
ghpy_port=$(free_port)
uw_port=$(free_port)
start_nginx <<CONF
  server {
    listen 127.0.0.1:$gh_port;
    location / { include /etc/nginx/uwsgi_params; uwsgi_pass unix:$BENCH_DIR/gatehouse.sock; }
  }
  server {
    listen 127.0.0.1:$ghpy_port;
    location / { include /etc/nginx/uwsgi_params; uwsgi_pass unix:$BENCH_DIR/gatehouse-python.sock; }
  }
  server {
    listen 127.0.0.1:$uw_port;
    location / { include /etc/nginx/uwsgi_params; uwsgi_pass unix:$BENCH_DIR/uwsgi.sock; }
  }
CONF

for port in "$gh_port" "$ghpy_port" "$uw_port"; do wait_http "http://127.0.0.1:$port/"; done
echo "one nginx worker; behind it, on unix sockets: Gatehouse's JVM app (4 threads, 1 io thread), Gatehouse's 4" \
  "preloaded python3 workers, uWSGI's 4 processes (--master)"
warm_jit "http://127.0.0.1:$gh_port/" "http://127.0.0.1:$ghpy_port/"
measure "nginx-uwsgi-gatehouse-jvm|http://127.0.0.1:$gh_port/|nginx gatehouse" \
  "nginx-uwsgi-gatehouse-python|http://127.0.0.1:$ghpy_port/|nginx gatehouse-python" \
  "nginx-uwsgi-uwsgi-python|http://127.0.0.1:$uw_port/|nginx uwsgi"
ratio nginx-uwsgi-gatehouse-jvm nginx-uwsgi-uwsgi-python
ratio nginx-uwsgi-gatehouse-python nginx-uwsgi-uwsgi-python
