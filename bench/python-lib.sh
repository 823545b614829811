# The three Python servers the python-*.sh benchmarks compare, each with $WORKERS processes of Debian's
# /usr/bin/python3: Gatehouse (HTTP listener, python runtime) as configured by default and with `prefetch: $PREFETCH`,
# uWSGI (--http-socket, python3 plugin) and gunicorn (sync workers). Sourced after lib.sh; sets GH_PORT/GH_PID,
# GP_PORT/GP_PID (prefetch), UW_PORT/UW_PID, GU_PORT/GU_PID.
# On a shared machine one run says little: `compare` measures the servers in turn for $ROUNDS rounds, reports the
# median, and the CPU time each server's processes spent per request (which other load disturbs far less).
WORKERS=${WORKERS:-2}
IO_THREADS=${IO_THREADS:-1}
# The JVM compiles its hot paths while it serves; give it this much load first (CPython and C need none).
JIT_WARMUP=${JIT_WARMUP:-20s}
PYTHON=/usr/bin/python3
# uWSGI's HTTP socket: --http-socket (the issue's, one connection per request) or --http11-socket (keep-alive).
UWSGI_HTTP=${UWSGI_HTTP:---http-socket}
# Requests sent ahead to each busy worker thread in the second Gatehouse (docs/runtimes/python.md).
PREFETCH=${PREFETCH:-3}

# start_python_servers DIR FILE CALLABLE: serves CALLABLE of DIR/FILE.py with each server.
start_python_servers() {
  local dir=$1 file=$2 callable=$3
  local app="  - name: bench
    runtime: python
    python: $PYTHON
    module: $file:$callable
    chdir: $dir
    workers: $WORKERS
    preload: true"
  GH_PORT=$(free_port)
  start_gatehouse gatehouse "  - protocol: http
    bind: 127.0.0.1:$GH_PORT" "$app"
  GH_PID=${BENCH_PIDS[-1]}
  GP_PORT=$(free_port)
  start_gatehouse gatehouse-prefetch "  - protocol: http
    bind: 127.0.0.1:$GP_PORT" "$app
    prefetch: $PREFETCH"
  GP_PID=${BENCH_PIDS[-1]}

  UW_PORT=$(free_port)
  UW_CMD="uwsgi --plugin python3 $UWSGI_HTTP 127.0.0.1:$UW_PORT --processes $WORKERS --master --die-on-term"
  UW_CMD="$UW_CMD --disable-logging --chdir $dir --wsgi-file $dir/$file.py --callable $callable"
  start_bg uwsgi $UW_CMD
  UW_PID=${BENCH_PIDS[-1]}

  GU_PORT=$(free_port)
  GU_CMD="$PYTHON -m gunicorn --workers $WORKERS --worker-class sync --bind 127.0.0.1:$GU_PORT --chdir $dir"
  GU_CMD="$GU_CMD $file:$callable"
  start_bg gunicorn $GU_CMD
  GU_PID=${BENCH_PIDS[-1]}

  wait_http "http://127.0.0.1:$GH_PORT/"
  wait_http "http://127.0.0.1:$GP_PORT/"
  wait_http "http://127.0.0.1:$UW_PORT/"
  wait_http "http://127.0.0.1:$GU_PORT/"
  echo "gatehouse: gatehouse run -c $BENCH_DIR/gatehouse.yaml   (config: $WORKERS workers, preload, io-threads $IO_THREADS;"
  echo "           the second one adds prefetch: $PREFETCH)"
  echo "uwsgi:     $UW_CMD"
  echo "gunicorn:  $GU_CMD"
  echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $ROUNDS rounds (each run after a $WARMUP warm-up;"
  echo "Gatehouse first gets a $JIT_WARMUP JIT warm-up), $(nproc) CPUs, load average $(cut -d' ' -f1 /proc/loadavg)"
}

# warm_jit PATH: loads each Gatehouse alone for $JIT_WARMUP so the measured runs see compiled code.
warm_jit() {
  local port
  for port in "$GH_PORT" "$GP_PORT"; do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$JIT_WARMUP" "http://127.0.0.1:$port$1" >/dev/null 2>&1 || true
  done
}
