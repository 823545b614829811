#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# TLS and HTTP/2, one machine, one script, the same throwaway certificate (made with openssl in $BENCH_DIR) for all:
#   1. JVM hello over TLS and HTTP/1.1 (wrk): Gatehouse (the example HelloApp) against nginx `return 200`.
#      Target: Gatehouse >= 0.8 x nginx.
#   2. The same over HTTP/2 (h2load): Gatehouse against nginx `http2`. Target: >= 0.8 x nginx.
#   3. A Flask app (examples/python/flask_app.py) over HTTP/2 and TLS (h2load): Gatehouse's python runtime against
#      hypercorn (Debian's python3-hypercorn, the app through asgiref's WsgiToAsgi), $WORKERS processes each.
#      Target: Gatehouse >= 1.0 x hypercorn, both with their defaults. h2load's streams in flight (640) are more
#      than Gatehouse's `queue` (100) holds: it answers the rest 503 at once, while hypercorn queues without bound;
#      only the requests answered 2xx count as served.
# Usage: bench/tls-h2.sh   (lib.sh's knobs; H2_CLIENTS, H2_STREAMS: h2load's -c and -m; WORKERS: python processes)
source "$(dirname "$0")/lib.sh"
ensure_dist
WORKERS=${WORKERS:-2}
H2_CLIENTS=${H2_CLIENTS:-$CONNECTIONS}
H2_STREAMS=${H2_STREAMS:-10}

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$BENCH_DIR/key.pem" -out "$BENCH_DIR/cert.pem" 2>/dev/null
tls="    tls: {certificate: $BENCH_DIR/cert.pem, key: $BENCH_DIR/key.pem}"

gh_port=$(free_port)
start_gatehouse gatehouse "  - protocol: http
    bind: 127.0.0.1:$gh_port
$tls"
gf_port=$(free_port)
start_gatehouse gatehouse-flask "  - protocol: http
    bind: 127.0.0.1:$gf_port
$tls" "$(python_app flask_app app "$WORKERS")"
ng_port=$(free_port)
start_nginx <<CONF
  ssl_certificate $BENCH_DIR/cert.pem;
  ssl_certificate_key $BENCH_DIR/key.pem;
  ssl_protocols TLSv1.2 TLSv1.3;
  server {
    listen 127.0.0.1:$ng_port ssl http2;
    location / { default_type text/plain; return 200 "Hello, world!\n"; }
  }
CONF
cat >"$BENCH_DIR/flask_asgi.py" <<'PY'
from asgiref.wsgi import WsgiToAsgi
from flask_app import app as wsgi_app
app = WsgiToAsgi(wsgi_app)
PY
hc_port=$(free_port)
start_bg hypercorn env PYTHONPATH="$BENCH_DIR:$EXAMPLES/python" /usr/bin/python3 -m hypercorn --workers "$WORKERS" \
  --certfile "$BENCH_DIR/cert.pem" --keyfile "$BENCH_DIR/key.pem" --bind "127.0.0.1:$hc_port" flask_asgi:app

for url in "https://127.0.0.1:$gh_port/" "https://127.0.0.1:$ng_port/" "https://127.0.0.1:$gf_port/greet/bench" \
  "https://127.0.0.1:$hc_port/greet/bench"; do
  for _ in $(seq 600); do curl -fsSk -o /dev/null "$url" 2>/dev/null && break; sleep 0.1; done
done
echo "one io thread (Gatehouse) or worker process (nginx) each for hello; $WORKERS python3 processes each for Flask;" \
  "TLS: $(grep -o 'TLS by [^,]*' "$BENCH_DIR/gatehouse.log" | head -1)"
warm_jit "https://127.0.0.1:$gh_port/" "https://127.0.0.1:$gf_port/greet/bench"

echo "== 1. hello over TLS and HTTP/1.1 (wrk)"
measure "gatehouse-jvm-tls|https://127.0.0.1:$gh_port/|gatehouse" "nginx-tls|https://127.0.0.1:$ng_port/|nginx"
ratio gatehouse-jvm-tls nginx-tls

# run_h2load NAME URL SERVERS...: as run_wrk, with h2load over HTTP/2: requests answered 2xx per second, mean request
# time (ms, h2load gives no p99) and CPU per answered request of the SERVERS' process trees; the failed (a 503 for a
# full queue among them) on stderr, not counted as served.
run_h2load() {
  local name=$1 url=$2 out before after; shift 2
  h2load -c "$H2_CLIENTS" -m "$H2_STREAMS" -t "$THREADS" -D "${WARMUP%s}" "$url" >/dev/null 2>&1 || true
  before=$(cpu_ticks "$@")
  out=$(h2load -c "$H2_CLIENTS" -m "$H2_STREAMS" -t "$THREADS" -D "${DURATION%s}" "$url" 2>&1)
  after=$(cpu_ticks "$@")
  grep -E '^requests:' <<<"$out" | grep -v ' 0 failed, 0 errored' | sed "s/^/  $name: /" >&2 || true
  awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    /^finished in/ { secs = $3 + 0 }
    /^requests:/ { done = $8 }
    /^time for request:/ { mean = $6 + 0; if ($6 ~ /us$/) mean /= 1000; else if ($6 ~ /[^m]s$/) mean *= 1000 }
    END { printf "%.2f %.3f %.1f\n", (secs > 0 ? done / secs : 0), mean, (done > 0 ? ticks * 1e6 / hz / done : 0) }
  ' <<<"$out"
}

# measure_h2 NAME|URL|SERVERS...: `measure` with h2load.
measure_h2() {
  RUNNER=run_h2load RUNNER_LATENCY="mean ms" \
    RUNNER_TITLE="h2load -c$H2_CLIENTS -m$H2_STREAMS -t$THREADS -D${DURATION%s}" measure "$@"
}

echo "== 2. hello over TLS and HTTP/2 (h2load)"
measure_h2 "gatehouse-jvm-h2|https://127.0.0.1:$gh_port/|gatehouse" "nginx-h2|https://127.0.0.1:$ng_port/|nginx"
ratio gatehouse-jvm-h2 nginx-h2
echo "== 3. Flask over TLS and HTTP/2 (h2load), $WORKERS processes each"
measure_h2 "gatehouse-flask-h2|https://127.0.0.1:$gf_port/greet/bench|gatehouse-flask" \
  "hypercorn-flask-h2|https://127.0.0.1:$hc_port/greet/bench|hypercorn"
ratio gatehouse-flask-h2 hypercorn-flask-h2
echo "(for HTTP/2 rows the p99 column of the ratio lines is h2load's mean request time)"
