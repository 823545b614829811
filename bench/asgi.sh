#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# A FastAPI JSON endpoint (examples/python/fastapi_app.py, Debian's python3-fastapi) over HTTP, asked for
# /greet/bench: Gatehouse (python runtime, ASGI detected) beside uvicorn, hypercorn and daphne, each with the same
# number of Debian python3 worker processes, one machine, in one script.
# Target: Gatehouse >= 1.0 x uvicorn (req/s).
# Usage: bench/asgi.sh   (lib.sh's knobs; WORKERS, default 2; CONCURRENCY, Gatehouse's per worker, default its own)
source "$(dirname "$0")/lib.sh"
ensure_dist

WORKERS=${WORKERS:-2}
APP_DIR=$EXAMPLES/python
URL_PATH=/greet/bench

GH_PORT=$(free_port)
start_gatehouse gatehouse "  - protocol: http
    bind: 127.0.0.1:$GH_PORT" "$(python_app fastapi_app app "$WORKERS")${CONCURRENCY:+
    concurrency: $CONCURRENCY}"

UV_PORT=$(free_port)
start_bg uvicorn env PYTHONPATH="$APP_DIR" /usr/bin/python3 -m uvicorn --workers "$WORKERS" --host 127.0.0.1 \
  --port "$UV_PORT" --no-access-log --log-level warning fastapi_app:app
HC_PORT=$(free_port)
start_bg hypercorn env PYTHONPATH="$APP_DIR" /usr/bin/python3 -m hypercorn --workers "$WORKERS" \
  --bind "127.0.0.1:$HC_PORT" fastapi_app:app

# daphne runs one process: WORKERS of them share one listening socket (passed with --fd), as gunicorn's workers do.
DA_PORT=$(free_port)
start_bg daphne env PYTHONPATH="$APP_DIR" /usr/bin/python3 -c "
import os, signal, socket, subprocess, sys
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(('127.0.0.1', $DA_PORT))
listener.listen(1024)
fd = listener.fileno()
os.set_inheritable(fd, True)
children = [subprocess.Popen(['/usr/bin/daphne', '--fd', str(fd), '--verbosity', '0', 'fastapi_app:app'],
                             pass_fds=[fd], cwd='$APP_DIR') for _ in range($WORKERS)]
signal.signal(signal.SIGTERM, lambda *_: [c.terminate() for c in children])
for c in children:
    c.wait()
"

for port in "$GH_PORT" "$UV_PORT" "$HC_PORT" "$DA_PORT"; do wait_http "http://127.0.0.1:$port$URL_PATH"; done
echo "$WORKERS python3 worker processes each: Gatehouse (io-threads ${IO_THREADS:-1}, preload," \
  "concurrency ${CONCURRENCY:-default}), uvicorn ($(/usr/bin/python3 -c 'import uvicorn; print(uvicorn.__version__)')," \
  "--workers), hypercorn (--workers), daphne ($WORKERS processes on one socket)"
warm_jit "http://127.0.0.1:$GH_PORT$URL_PATH"
measure "gatehouse-asgi|http://127.0.0.1:$GH_PORT$URL_PATH|gatehouse" \
  "uvicorn|http://127.0.0.1:$UV_PORT$URL_PATH|uvicorn" "hypercorn|http://127.0.0.1:$HC_PORT$URL_PATH|hypercorn" \
  "daphne|http://127.0.0.1:$DA_PORT$URL_PATH|daphne"
ratio gatehouse-asgi uvicorn hypercorn daphne
