#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# JVM hello world (the example HelloApp) behind Apache httpd: Apache -> AJP (mod_proxy_ajp) -> Gatehouse, beside
# Apache -> AJP (mod_jk) -> Gatehouse and Apache -> uwsgi (mod_proxy_uwsgi) -> Gatehouse; one machine, in one
# script, one Gatehouse process and one Apache; the CPU per request is Apache's and Gatehouse's.
# Usage: bench/apache-ajp.sh   (lib.sh's knobs)
source "$(dirname "$0")/lib.sh"
ensure_dist

SECRET="bench-$RANDOM$RANDOM"
ajp_port=$(free_port)
uwsgi_port=$(free_port)
start_gatehouse gatehouse "  - protocol: ajp
    bind: 127.0.0.1:$ajp_port
    secret: $SECRET
  - protocol: uwsgi
    bind: 127.0.0.1:$uwsgi_port"

ap_ajp=$(free_port)
ap_jk=$(free_port)
ap_uwsgi=$(free_port)
A="$BENCH_DIR/apache"
mkdir -p "$A/run" "$A/htdocs"
cat >"$A/workers.properties" <<PROPS
worker.list=gh
worker.gh.type=ajp13
worker.gh.host=127.0.0.1
worker.gh.port=$ajp_port
worker.gh.secret=$SECRET
worker.gh.ping_mode=P
PROPS
M=/usr/lib/apache2/modules
cat >"$A/httpd.conf" <<CONF
LoadModule mpm_event_module $M/mod_mpm_event.so
LoadModule authz_core_module $M/mod_authz_core.so
LoadModule proxy_module $M/mod_proxy.so
LoadModule proxy_ajp_module $M/mod_proxy_ajp.so
LoadModule proxy_uwsgi_module $M/mod_proxy_uwsgi.so
LoadModule jk_module $M/mod_jk.so
ServerRoot "$A"
ServerName localhost
PidFile "$A/run/httpd.pid"
DefaultRuntimeDir "$A/run"
Mutex file:$A/run default
ErrorLog "$A/error.log"
LogLevel warn
DocumentRoot "$A/htdocs"
$( [ "$(id -u)" = 0 ] && printf 'User nobody\nGroup nogroup' )
StartServers 2
ServerLimit 4
ThreadsPerChild 64
MaxRequestWorkers 256
KeepAlive On
MaxKeepAliveRequests 0
JkWorkersFile "$A/workers.properties"
JkShmFile "$A/run/jk.shm"
JkLogFile "$A/mod_jk.log"
JkLogLevel error
Listen 127.0.0.1:$ap_ajp
Listen 127.0.0.1:$ap_jk
Listen 127.0.0.1:$ap_uwsgi
<VirtualHost 127.0.0.1:$ap_ajp>
  ProxyPass / ajp://127.0.0.1:$ajp_port/ secret=$SECRET
</VirtualHost>
<VirtualHost 127.0.0.1:$ap_jk>
  JkMount /* gh
</VirtualHost>
<VirtualHost 127.0.0.1:$ap_uwsgi>
  ProxyPass / uwsgi://127.0.0.1:$uwsgi_port/
</VirtualHost>
CONF
start_bg apache /usr/sbin/apache2 -d "$A" -f "$A/httpd.conf" -DFOREGROUND

for port in "$ap_ajp" "$ap_jk" "$ap_uwsgi"; do wait_http "http://127.0.0.1:$port/"; done
echo "one Gatehouse (1 io thread, 4 app threads), one Apache (event MPM) in front"
warm_jit "http://127.0.0.1:$ap_ajp/" "http://127.0.0.1:$ap_jk/" "http://127.0.0.1:$ap_uwsgi/"
measure "apache-mod_proxy_ajp|http://127.0.0.1:$ap_ajp/|apache gatehouse" \
  "apache-mod_jk|http://127.0.0.1:$ap_jk/|apache gatehouse" \
  "apache-mod_proxy_uwsgi|http://127.0.0.1:$ap_uwsgi/|apache gatehouse"
ratio apache-mod_proxy_ajp apache-mod_proxy_uwsgi
ratio apache-mod_jk apache-mod_proxy_uwsgi
