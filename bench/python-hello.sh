#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Hello world WSGI (examples/python/hello.py) over HTTP: Gatehouse beside uWSGI (--http-socket) and gunicorn (sync
# workers), each with the same number of Debian python3 processes, one machine, in one script.
# Targets: Gatehouse >= 1.0 x gunicorn and >= 0.8 x uWSGI.
# Usage: bench/python-hello.sh   (lib.sh's knobs; WORKERS, PREFETCH, UWSGI_HTTP, IO_THREADS: see python-lib.sh)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/python-lib.sh"
ensure_dist

start_python_servers hello application /
measure "gatehouse-python|http://127.0.0.1:$GH_PORT/|gatehouse" \
  "gatehouse-python-prefetch|http://127.0.0.1:$GP_PORT/|gatehouse-prefetch" \
  "uwsgi-http-socket|http://127.0.0.1:$UW_PORT/|uwsgi" "gunicorn-sync|http://127.0.0.1:$GU_PORT/|gunicorn"
ratio gatehouse-python uwsgi-http-socket gunicorn-sync
ratio gatehouse-python-prefetch uwsgi-http-socket gunicorn-sync
