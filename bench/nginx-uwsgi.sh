#!/usr/bin/env bash
# Hello world behind nginx over uwsgi: nginx → uwsgi_pass → Gatehouse (the JVM HelloApp, and the same WSGI hello
# in Python workers) beside nginx → uwsgi_pass → uWSGI (Debian's uwsgi with the python3 plugin), one machine, one run.
# Every back end listens on a unix socket, as in most deployments, and gets 4 workers: Gatehouse one JVM app with
# 4 threads or 4 Python worker processes (preloaded), uWSGI 4 processes. One nginx (one worker) fronts all three.
# Prints req/s and p99 of each and the ratios to uWSGI.
# The warm-up defaults to 20 s rather than lib.sh's 5 s: a connection per request takes the JVM longer to compile,
# and a shorter warm-up measures the JIT, not the server.
# Usage: bench/nginx-uwsgi.sh   (DURATION, CONNECTIONS, THREADS, WARMUP override the wrk settings)
WARMUP=${WARMUP:-20s}
source "$(dirname "$0")/lib.sh"
ensure_dist

start_gatehouse gatehouse "  - protocol: uwsgi
    bind: unix:$BENCH_DIR/gatehouse.sock
    mode: \"0666\""

cat >"$BENCH_DIR/hello.py" <<'PY'
def application(environ, start_response):
    body = b"Hello, world!\n"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
PY
start_gatehouse gatehouse-python "  - protocol: uwsgi
    bind: unix:$BENCH_DIR/gatehouse-python.sock
    mode: \"0666\"" "  - name: hello
    runtime: python
    python: /usr/bin/python3
    wsgi-file: $BENCH_DIR/hello.py
    workers: 4
    preload: true"
start_bg uwsgi uwsgi --plugin python3 --master --die-on-term --processes 4 --disable-logging \
  --socket "$BENCH_DIR/uwsgi.sock" --chmod-socket=666 --wsgi-file "$BENCH_DIR/hello.py"

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

wait_http "http://127.0.0.1:$gh_port/"
wait_http "http://127.0.0.1:$ghpy_port/"
wait_http "http://127.0.0.1:$uw_port/"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after a $WARMUP warm-up); nginx 1 worker; 4 workers behind it"
measure nginx-uwsgi-gatehouse-jvm "http://127.0.0.1:$gh_port/"
measure nginx-uwsgi-gatehouse-python "http://127.0.0.1:$ghpy_port/"
measure nginx-uwsgi-uwsgi-python "http://127.0.0.1:$uw_port/"
ratio nginx-uwsgi-gatehouse-jvm nginx-uwsgi-uwsgi-python
ratio nginx-uwsgi-gatehouse-python nginx-uwsgi-uwsgi-python
