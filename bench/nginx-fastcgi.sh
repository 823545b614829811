#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Hello world behind nginx over FastCGI: nginx -> fastcgi_pass (fastcgi_keep_conn on, upstream keepalive) ->
# Gatehouse (the example JVM HelloApp), beside the same nginx -> fastcgi_pass -> uWSGI --fastcgi-socket
# (examples/python/hello.py), one machine, in one script. Each back end is one process with 4 app threads; nginx
# runs one worker; the CPU per request is nginx's and the back end's.
# uWSGI's FastCGI closes its connection after every response whatever fastcgi_keep_conn says, so nginx reconnects
# for each of its requests; Gatehouse keeps them (FCGI_KEEP_CONN).
# Usage: bench/nginx-fastcgi.sh   (lib.sh's knobs)
source "$(dirname "$0")/lib.sh"
ensure_dist

gh_port=$(free_port)
start_gatehouse gatehouse "  - protocol: fastcgi
    bind: 127.0.0.1:$gh_port"
uw_port=$(free_port)
start_uwsgi hello application --fastcgi-socket "127.0.0.1:$uw_port" --processes 1 --threads 4

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
echo "one nginx worker; behind it, one process each with 4 app threads (Gatehouse: 1 io thread; uWSGI: --master" \
  "--processes 1 --threads 4)"
warm_jit "http://127.0.0.1:$ng_gh/"
measure "nginx-fcgi-gatehouse|http://127.0.0.1:$ng_gh/|nginx gatehouse" \
  "nginx-fcgi-uwsgi|http://127.0.0.1:$ng_uw/|nginx uwsgi"
ratio nginx-fcgi-gatehouse nginx-fcgi-uwsgi
