#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# A small Flask app (examples/python/flask_app.py, Debian's python3-flask) over HTTP, asked for /greet/bench:
# Gatehouse beside uWSGI (--http-socket) and gunicorn (sync workers), same process count, one machine, in one script.
# Target: Gatehouse >= 0.95 x uWSGI.
# Usage: bench/python-flask.sh   (lib.sh's knobs; WORKERS, PREFETCH, UWSGI_HTTP, IO_THREADS: see python-lib.sh)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/python-lib.sh"
ensure_dist

start_python_servers flask_app app /greet/bench
measure "gatehouse-flask|http://127.0.0.1:$GH_PORT/greet/bench|gatehouse" \
  "gatehouse-flask-prefetch|http://127.0.0.1:$GP_PORT/greet/bench|gatehouse-prefetch" \
  "uwsgi-flask|http://127.0.0.1:$UW_PORT/greet/bench|uwsgi" "gunicorn-flask|http://127.0.0.1:$GU_PORT/greet/bench|gunicorn"
ratio gatehouse-flask uwsgi-flask gunicorn-flask
ratio gatehouse-flask-prefetch uwsgi-flask gunicorn-flask
