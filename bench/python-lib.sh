# shellcheck shell=bash
# The servers the python-*.sh benchmarks compare, each serving the same examples/python file with $WORKERS
# processes of Debian's /usr/bin/python3: Gatehouse (HTTP listener, python runtime) as configured by default
# (`gatehouse`) and with `prefetch: $PREFETCH` (`gatehouse-prefetch`), uWSGI (`uwsgi`: $UWSGI_HTTP, python3 plugin)
# and gunicorn (`gunicorn`: sync workers). Sourced after lib.sh; sets GH_PORT, GP_PORT, UW_PORT and GU_PORT.
WORKERS=${WORKERS:-2}
# uWSGI's HTTP socket: --http-socket (the issue's, one connection per request) or --http11-socket (keep-alive).
UWSGI_HTTP=${UWSGI_HTTP:---http-socket}
# Requests sent ahead to each busy worker thread in the second Gatehouse (docs/runtimes/python.md).
PREFETCH=${PREFETCH:-3}

# start_python_servers FILE CALLABLE PATH: serves CALLABLE of examples/python/FILE.py with each server, waits for
# PATH to answer on each, and warms up the Gatehouses' JIT on it.
start_python_servers() {
  local file=$1 callable=$2 path=$3 app port
  app=$(python_app "$file" "$callable" "$WORKERS")
  GH_PORT=$(free_port)
  start_gatehouse gatehouse "  - protocol: http
    bind: 127.0.0.1:$GH_PORT" "$app"
  GP_PORT=$(free_port)
  start_gatehouse gatehouse-prefetch "  - protocol: http
    bind: 127.0.0.1:$GP_PORT" "$app
    prefetch: $PREFETCH"
  UW_PORT=$(free_port)
  start_uwsgi "$file" "$callable" "$UWSGI_HTTP" "127.0.0.1:$UW_PORT" --processes "$WORKERS"
  GU_PORT=$(free_port)
  start_bg gunicorn /usr/bin/python3 -m gunicorn --workers "$WORKERS" --worker-class sync \
    --bind "127.0.0.1:$GU_PORT" --chdir "$EXAMPLES/python" "$file:$callable"

  for port in "$GH_PORT" "$GP_PORT" "$UW_PORT" "$GU_PORT"; do wait_http "http://127.0.0.1:$port$path"; done
  echo "$WORKERS python3 processes each: Gatehouse (io-threads ${IO_THREADS:-1}, preload; the second with prefetch:" \
    "$PREFETCH), uWSGI ($UWSGI_HTTP, --master), gunicorn (sync workers)"
  warm_jit "http://127.0.0.1:$GH_PORT$path" "http://127.0.0.1:$GP_PORT$path"
}
