#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Python apps behind nginx, the main deployment: nginx (one worker) → uwsgi_pass over a unix socket → Gatehouse with
# its default settings, beside nginx → uwsgi_pass (unix) → uWSGI and nginx → proxy_pass (unix) → gunicorn (sync
# workers), each with $WORKERS processes of Debian's python3, serving the same files: examples/python/hello.py (a
# plain WSGI callable) and examples/python/flask_app.py's /json (a small Flask JSON answer). The CPU per request is
# nginx's and the back end's process tree's. Targets (issue 12): Gatehouse >= 1.0 x uWSGI in req/s, p99 no worse,
# CPU per request <= 1.1 x uWSGI's.
# Usage: bench/nginx-python.sh   (lib.sh's knobs; WORKERS, default 4)
source "$(dirname "$0")/lib.sh"
ensure_dist
WORKERS=${WORKERS:-4}
# Gatehouse runs with its defaults here, io-threads included (0: one event loop for every two processors).
IO_THREADS=${IO_THREADS:-0}

# serve NAME FILE CALLABLE: Gatehouse, uWSGI and gunicorn serving CALLABLE of examples/python/FILE.py on unix sockets
# $BENCH_DIR/{gatehouse,uwsgi,gunicorn}-NAME.sock.
serve() {
  local name=$1 file=$2 callable=$3
  start_gatehouse "gatehouse-$name" "  - protocol: uwsgi
    bind: unix:$BENCH_DIR/gatehouse-$name.sock
    mode: \"0666\"" "$(python_app "$file" "$callable" "$WORKERS")"
  start_bg "uwsgi-$name" uwsgi --plugin python3 --master --die-on-term --disable-logging --chdir "$EXAMPLES/python" \
    --wsgi-file "$EXAMPLES/python/$file.py" --callable "$callable" --processes "$WORKERS" \
    --socket "$BENCH_DIR/uwsgi-$name.sock" --chmod-socket=666
  start_bg "gunicorn-$name" /usr/bin/python3 -m gunicorn --workers "$WORKERS" --worker-class sync \
    --bind "unix:$BENCH_DIR/gunicorn-$name.sock" --chdir "$EXAMPLES/python" "$file:$callable"
}

serve hello hello application
serve flask flask_app app

declare -A PORT=()
servers=""
for back in gatehouse uwsgi gunicorn; do
  for app in hello flask; do
    PORT[$back-$app]=$(free_port)
    if [ "$back" = gunicorn ]; then
      pass="proxy_pass http://unix:$BENCH_DIR/$back-$app.sock;"
    else
      pass="include /etc/nginx/uwsgi_params; uwsgi_pass unix:$BENCH_DIR/$back-$app.sock;"
    fi
    servers+="  server { listen 127.0.0.1:${PORT[$back-$app]}; location / { $pass } }"$'\n'
  done
done
start_nginx <<<"$servers"

for back in gatehouse uwsgi gunicorn; do
  wait_http "http://127.0.0.1:${PORT[$back-hello]}/"
  wait_http "http://127.0.0.1:${PORT[$back-flask]}/json"
done
echo "one nginx worker; behind it, on unix sockets, $WORKERS python3 processes each: Gatehouse (defaults, preload," \
  "io-threads $IO_THREADS), uWSGI (--master), gunicorn (sync workers, behind proxy_pass)"
warm_jit "http://127.0.0.1:${PORT[gatehouse-hello]}/" "http://127.0.0.1:${PORT[gatehouse-flask]}/json"
measure "gatehouse-hello|http://127.0.0.1:${PORT[gatehouse-hello]}/|nginx gatehouse-hello" \
  "uwsgi-hello|http://127.0.0.1:${PORT[uwsgi-hello]}/|nginx uwsgi-hello" \
  "gunicorn-hello|http://127.0.0.1:${PORT[gunicorn-hello]}/|nginx gunicorn-hello" \
  "gatehouse-flask|http://127.0.0.1:${PORT[gatehouse-flask]}/json|nginx gatehouse-flask" \
  "uwsgi-flask|http://127.0.0.1:${PORT[uwsgi-flask]}/json|nginx uwsgi-flask" \
  "gunicorn-flask|http://127.0.0.1:${PORT[gunicorn-flask]}/json|nginx gunicorn-flask"
ratio gatehouse-hello uwsgi-hello gunicorn-hello
ratio gatehouse-flask uwsgi-flask gunicorn-flask
