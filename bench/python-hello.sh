#!/usr/bin/env bash
# Hello world WSGI over HTTP: Gatehouse beside uWSGI (--http-socket) and gunicorn (sync workers), each with the
# same number of Debian python3 processes, one machine, in one script. Prints the median req/s, p99 and CPU per
# request of each over ROUNDS rounds, and the ratios.
# Targets: Gatehouse >= 1.0 x gunicorn and >= 0.8 x uWSGI.
# Usage: bench/python-hello.sh   (WORKERS, ROUNDS, PREFETCH, UWSGI_HTTP, IO_THREADS, JIT_WARMUP, DURATION, CONNECTIONS, THREADS, WARMUP override)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/python-lib.sh"
ensure_dist

start_python_servers "$BENCH_ROOT/examples/python" hello application
warm_jit /
compare "gatehouse-python|http://127.0.0.1:$GH_PORT/|$GH_PID" \
  "gatehouse-python-prefetch|http://127.0.0.1:$GP_PORT/|$GP_PID" \
  "uwsgi-http-socket|http://127.0.0.1:$UW_PORT/|$UW_PID" "gunicorn-sync|http://127.0.0.1:$GU_PORT/|$GU_PID"
for gh in gatehouse-python gatehouse-python-prefetch; do
  ratio "$gh" uwsgi-http-socket
  ratio "$gh" gunicorn-sync
done
