#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# A FastAPI JSON endpoint (examples/python/fastapi_app.py, Debian's python3-fastapi) over HTTP, asked for
# /greet/bench: Gatehouse (python runtime, ASGI detected) beside uvicorn (WORKERS processes on one socket, and under
# gunicorn's UvicornWorker), hypercorn (--workers) and daphne (WORKERS processes on one socket), each with the same
# number of Debian python3 worker processes, one machine, in one script. Then a WebSocket echo (/ws/echo): WS_CLIENTS
# connections of bench/ws_echo.py (python3-websockets, one process) each sending a message and awaiting its echo for
# WS_SECONDS, against each server; messages/s (round trips) per server.
# Target: Gatehouse >= 1.0 x uvicorn (req/s, and WebSocket messages/s), against the faster of the two uvicorn setups.
# uvicorn's own --workers is left out: in Debian's uvicorn 0.17 its connections miss TCP_NODELAY (asyncio sets it
# only on sockets it made itself), which costs every keep-alive request a delayed ACK, about 40 ms.
# Usage: bench/asgi.sh   (lib.sh's knobs; WORKERS, default 2; CONCURRENCY, Gatehouse's per worker, default its own;
#                        WS_CLIENTS, default 32; WS_SECONDS, default 10)
source "$(dirname "$0")/lib.sh"
ensure_dist

WORKERS=${WORKERS:-2}
# Gatehouse runs with its defaults here, io-threads included (0: one event loop for every two processors).
IO_THREADS=${IO_THREADS:-0}
APP_DIR=$EXAMPLES/python
URL_PATH=/greet/bench

# shared_socket NAME PORT CMD...: starts WORKERS copies of CMD (where {fd} stands for the socket) sharing one listening
# socket on 127.0.0.1:PORT with TCP_NODELAY, as gunicorn's workers share theirs; started as NAME (the pid of the
# launcher, whose process tree counts).
shared_socket() {
  local name=$1 port=$2; shift 2
  start_bg "$name" env PYTHONPATH="$APP_DIR" /usr/bin/python3 -c '
import os, signal, socket, subprocess, sys
port, workers, command = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
listener.bind(("127.0.0.1", port))
listener.listen(1024)
fd = listener.fileno()
os.set_inheritable(fd, True)
argv = [str(fd) if arg == "{fd}" else arg for arg in command]
children = [subprocess.Popen(argv, pass_fds=[fd]) for _ in range(workers)]
signal.signal(signal.SIGTERM, lambda *_: [c.terminate() for c in children])
for c in children:
    c.wait()
' "$port" "$WORKERS" "$@"
}

GH_PORT=$(free_port)
start_gatehouse gatehouse "  - protocol: http
    bind: 127.0.0.1:$GH_PORT" "$(python_app fastapi_app app "$WORKERS")${CONCURRENCY:+
    concurrency: $CONCURRENCY}"
UV_PORT=$(free_port)
shared_socket uvicorn "$UV_PORT" /usr/bin/python3 -m uvicorn --fd "{fd}" --no-access-log --log-level warning \
  fastapi_app:app
GU_PORT=$(free_port)
start_bg uvicorn-gunicorn /usr/bin/python3 -m gunicorn --worker-class uvicorn.workers.UvicornWorker \
  --workers "$WORKERS" --bind "127.0.0.1:$GU_PORT" --chdir "$APP_DIR" fastapi_app:app
HC_PORT=$(free_port)
start_bg hypercorn env PYTHONPATH="$APP_DIR" /usr/bin/python3 -m hypercorn --workers "$WORKERS" \
  --bind "127.0.0.1:$HC_PORT" fastapi_app:app
DA_PORT=$(free_port)
shared_socket daphne "$DA_PORT" /usr/bin/daphne --fd "{fd}" --verbosity 0 fastapi_app:app

for port in "$GH_PORT" "$UV_PORT" "$GU_PORT" "$HC_PORT" "$DA_PORT"; do wait_http "http://127.0.0.1:$port$URL_PATH"; done
echo "$WORKERS python3 worker processes each: Gatehouse (io-threads $IO_THREADS, preload, concurrency" \
  "${CONCURRENCY:-default}), uvicorn $(/usr/bin/python3 -c 'import uvicorn; print(uvicorn.__version__)') ($WORKERS" \
  "processes on one socket; and gunicorn's UvicornWorker), hypercorn (--workers), daphne ($WORKERS processes on" \
  "one socket)"
warm_jit "http://127.0.0.1:$GH_PORT$URL_PATH"
measure "gatehouse-asgi|http://127.0.0.1:$GH_PORT$URL_PATH|gatehouse" \
  "uvicorn|http://127.0.0.1:$UV_PORT$URL_PATH|uvicorn" \
  "uvicorn-gunicorn|http://127.0.0.1:$GU_PORT$URL_PATH|uvicorn-gunicorn" \
  "hypercorn|http://127.0.0.1:$HC_PORT$URL_PATH|hypercorn" "daphne|http://127.0.0.1:$DA_PORT$URL_PATH|daphne"
ratio gatehouse-asgi uvicorn uvicorn-gunicorn hypercorn daphne

# The WebSocket echo: one client process per server in turn (the client is Python too; it is the same for all).
# The client bounds the rate, so it runs with glibc's mmap threshold raised: asyncio reads into a fresh 256 KiB bytes
# object, which glibc would otherwise map and unmap on every read (over half the client's CPU on a VM, where page
# table changes are dear). The servers run as they are.
WS_CLIENTS=${WS_CLIENTS:-32}
WS_SECONDS=${WS_SECONDS:-10}
WS_SERVERS="gatehouse-asgi|$GH_PORT uvicorn|$UV_PORT uvicorn-gunicorn|$GU_PORT hypercorn|$HC_PORT daphne|$DA_PORT"
echo "WebSocket echo round trips, $WS_CLIENTS connections of bench/ws_echo.py for ${WS_SECONDS}s each, the servers" \
  "in turn for $ROUNDS rounds after a warm-up (messages/s; the median last):"
# ws_echo PORT SECONDS: the echo's messages/s against the server on PORT (0 if it failed).
ws_echo() {
  MALLOC_MMAP_THRESHOLD_=4194304 MALLOC_TRIM_THRESHOLD_=8388608 /usr/bin/python3 "$(dirname "$0")/ws_echo.py" \
    "ws://127.0.0.1:$1/ws/echo" "$WS_CLIENTS" "$2" 2>/dev/null || echo 0
}
# as warm_jit does for HTTP: the socket path into Gatehouse gets JIT_WARMUP, the others WARMUP
for entry in $WS_SERVERS; do
  warmup=$WARMUP
  [ "${entry%%|*}" = gatehouse-asgi ] && warmup=$JIT_WARMUP
  ws_echo "${entry##*|}" "${warmup%s}" >/dev/null
done
declare -A ws_rates
for _ in $(seq "$ROUNDS"); do
  for entry in $WS_SERVERS; do
    ws_rates[${entry%%|*}]+="$(ws_echo "${entry##*|}" "$WS_SECONDS") "
  done
done
for entry in $WS_SERVERS; do
  name=${entry%%|*}
  printf '  %-18s %s-> %s\n' "$name" "${ws_rates[$name]}" \
    "$(tr ' ' '\n' <<<"${ws_rates[$name]}" | median %.0f)"
done
