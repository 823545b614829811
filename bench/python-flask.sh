#!/usr/bin/env bash
# A small Flask app (examples/python/flask_app.py, Debian's python3-flask) over HTTP: Gatehouse beside uWSGI
# (--http-socket) and gunicorn (sync workers), same process count, one machine, in one script.
# Target: Gatehouse >= 0.95 x uWSGI.
# Usage: bench/python-flask.sh   (WORKERS, ROUNDS, PREFETCH, UWSGI_HTTP, IO_THREADS, JIT_WARMUP, DURATION, CONNECTIONS, THREADS, WARMUP override)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/python-lib.sh"
ensure_dist

start_python_servers "$BENCH_ROOT/examples/python" flask_app app
warm_jit /greet/bench
compare "gatehouse-flask|http://127.0.0.1:$GH_PORT/greet/bench|$GH_PID" \
  "gatehouse-flask-prefetch|http://127.0.0.1:$GP_PORT/greet/bench|$GP_PID" \
  "uwsgi-flask|http://127.0.0.1:$UW_PORT/greet/bench|$UW_PID" "gunicorn-flask|http://127.0.0.1:$GU_PORT/greet/bench|$GU_PID"
for gh in gatehouse-flask gatehouse-flask-prefetch; do
  ratio "$gh" uwsgi-flask
  ratio "$gh" gunicorn-flask
done
