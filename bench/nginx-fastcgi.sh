#!/usr/bin/env bash
# Hello world behind nginx over FastCGI: nginx -> fastcgi_pass (fastcgi_keep_conn on, upstream keepalive) ->
# Gatehouse (JVM HelloApp), beside the same nginx -> fastcgi_pass -> uWSGI --fastcgi-socket (Python hello WSGI),
# one machine, one run. Each backend is one process with 4 app threads; nginx runs one worker.
# Prints req/s and p99 of each and their ratio.
# uWSGI's FastCGI closes its connection after every response whatever fastcgi_keep_conn says, so nginx reconnects
# for each of its requests; Gatehouse keeps them (FCGI_KEEP_CONN). The warm-up is longer than lib.sh's default: the
# JVM compiles its hot paths in the first seconds, and on a busy machine 5 s is not enough.
# Usage: bench/nginx-fastcgi.sh   (DURATION, CONNECTIONS, THREADS, WARMUP override the wrk settings)
WARMUP=${WARMUP:-15s}
source "$(dirname "$0")/lib.sh"
ensure_dist

gh_port=$(free_port)
start_gatehouse gatehouse "  - protocol: fastcgi
    bind: 127.0.0.1:$gh_port"

uw_port=$(free_port)
cat >"$BENCH_DIR/hello.py" <<'PY'
BODY = b"Hello, world!\n"


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))])
    return [BODY]
PY
start_bg uwsgi uwsgi --plugin python3 --fastcgi-socket "127.0.0.1:$uw_port" --wsgi-file "$BENCH_DIR/hello.py" \
  --master --processes 1 --threads 4 --disable-logging --die-on-term

ng_gh=$(free_port)
ng_uw=$(free_port)
start_nginx <<CONF
  upstream gatehouse { server 127.0.0.1:$gh_port; keepalive 64; }
  upstream uwsgi { server 127.0.0.1:$uw_port; keepalive 64; }
  server {
    listen 127.0.0.1:$ng_gh;
    location / { include /etc/nginx/fastcgi_params; fastcgi_keep_conn on; fastcgi_pass gatehouse; }
  }
  server {
    listen 127.0.0.1:$ng_uw;
    location / { include /etc/nginx/fastcgi_params; fastcgi_keep_conn on; fastcgi_pass uwsgi; }
  }
CONF

wait_http "http://127.0.0.1:$ng_gh/"
wait_http "http://127.0.0.1:$ng_uw/"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after a $WARMUP warm-up) against one nginx worker;"
echo "backends: one process each with 4 app threads (Gatehouse: 1 io thread; uWSGI: --master --processes 1 --threads 4)"
measure nginx-fcgi-gatehouse "http://127.0.0.1:$ng_gh/"
measure nginx-fcgi-uwsgi "http://127.0.0.1:$ng_uw/"
ratio nginx-fcgi-gatehouse nginx-fcgi-uwsgi
