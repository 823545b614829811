#!/usr/bin/env bash
# The long fuzzing run of docs/reliability.md: each decoder's fuzz test fuzzed by Jazzer for DURATION (default 10m),
# JOBS at a time (default 2), after one build through the reactor. Each target keeps growing its corpus in
# <module>/.cifuzz-corpus (shared with the build's 30-second runs) and stores a finding in its test's Inputs
# directory (src/test/resources/<package>/<Test>Inputs/<method>/), where the unit tests replay it from then on.
# Logs go to target/fuzz/<Test>.log; the last lines printed are libFuzzer's totals for each target: executions,
# coverage (cov: edges, ft: features), corpus (inputs/bytes), and the findings.
#   fuzz/run.sh                      # every target, 10 minutes each, two at a time
#   DURATION=2m fuzz/run.sh Http1 Ajp  # the targets whose test names contain Http1 or Ajp
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10m}
JOBS=${JOBS:-2}
# module, fuzz test class, largest input (its @WithLength)
TARGETS=(
  "protocol-http io.gatehouse.protocol.http.Http1DecoderFuzzTest 8192"
  "protocol-uwsgi io.gatehouse.protocol.uwsgi.UwsgiDecoderFuzzTest 4096"
  "protocol-scgi io.gatehouse.protocol.scgi.ScgiDecoderFuzzTest 4096"
  "protocol-fastcgi io.gatehouse.protocol.fastcgi.FcgiDecoderFuzzTest 8192"
  "protocol-ajp io.gatehouse.protocol.ajp.AjpDecoderFuzzTest 16384"
  "runtime-python io.gatehouse.runtime.python.WsgiFramesFuzzTest 4096"
)
selected=()
for t in "${TARGETS[@]}"; do
  [[ $# -eq 0 ]] && selected+=("$t") && continue
  for name in "$@"; do
    [[ $t == *"$name"* ]] && selected+=("$t") && break
  done
done
[[ ${#selected[@]} -gt 0 ]] || { echo "no fuzz target matches $*" >&2; exit 2; }
modules=$(printf '%s\n' "${selected[@]}" | cut -d' ' -f1 | sort -u | paste -sd,)
mvn -B -ntp -q -pl "$modules" -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/fuzz.classpath -Dmdep.includeScope=test
mkdir -p target/fuzz
logs=$(cd target/fuzz && pwd)

fuzz() {
  local module=$1 class=$2 max_len=$3 name=${2##*.}
  local cp="target/test-classes:target/classes:$(cat "$module/target/fuzz.classpath")"
  (cd "$module" && java -XX:-OmitStackTraceInFastThrow -Dio.netty.leakDetection.level=paranoid -cp "$cp" \
    com.code_intelligence.jazzer.Jazzer --target_class="$class" --instrumentation_includes='io.gatehouse.**' \
    --custom_hook_includes='io.gatehouse.**' --max_duration="$DURATION" -max_len="$max_len" \
    -print_final_stats=1) > "$logs/$name.log" 2>&1
}

status=0
running=0
for t in "${selected[@]}"; do
  read -r module class max_len <<< "$t"
  echo "fuzzing ${class##*.} for $DURATION (log: target/fuzz/${class##*.}.log)"
  fuzz "$module" "$class" "$max_len" &
  running=$((running + 1))
  if [[ $running -ge $JOBS ]]; then
    wait -n || status=1
    running=$((running - 1))
  fi
done
while [[ $running -gt 0 ]]; do
  wait -n || status=1
  running=$((running - 1))
done

for t in "${selected[@]}"; do
  read -r module class _ <<< "$t"
  name=${class##*.}
  echo "== $name"
  grep -a -E '^#[0-9]+[[:space:]]+DONE|^Done [0-9]+ runs|^stat::number_of_executed_units|^== Java Exception|FuzzTestFinding|^INFO: Crash' \
    "$logs/$name.log" || true
done
exit $status
