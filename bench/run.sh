#!/usr/bin/env bash
# Engine vs sslscan on the loopback testbed: figures (a), (b), (c) of bench/README.md in one run;
# or, with `scale`, the operator at scale against the mock API server (figure (d)).
#
# Usage: bench/run.sh [--quick] [--name=value ...]
#        bench/run.sh scale [--policies=1000] [--jvm=-Xmx128m,-XX:+UseSerialGC] [--operator-args=...]
#        bench/run.sh scrape          figure (f), /metrics at 10,000 endpoints
#        bench/run.sh receiver [--senders=16] [--sessions=12000]   figure (g), the test receiver
#        bench/run.sh startup [--runs=20] [--target=smtp://127.0.0.1:24026]   figure (h), start-up
#   --quick          fewer samples (about a minute of measuring instead of several)
#   --name=value     passed to io.mailtls.bench.BenchMain (`--help` lists them) or OperatorScale
# Environment:
#   BENCH_JDK         JDK to build and run with (default /usr/lib/jvm/temurin-25-jdk-amd64)
#   BENCH_TIME_LIMIT  seconds the measurements may take before they are killed (default 1200)
#   BENCH_OUT         where results.md, bench.log and run.log go (default bench/target/bench-results)
#
# Builds the operator and bench modules, starts testbed/start.sh in a temporary state directory
# unless the testbed is already listening (then it is used and left running), runs the
# measurements, prints the results table and stops what it started. Every connection goes to
# 127.0.0.1.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
JDK=${BENCH_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
LIMIT=${BENCH_TIME_LIMIT:-1200}
OUT=${BENCH_OUT:-$HERE/target/bench-results}
source "$ROOT/testbed/lib.sh" # TB_PORTS: the listeners of testbed/listeners.txt
PORTS=("${TB_PORTS[@]}")

log() { echo "bench: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

MAIN=io.mailtls.bench.BenchMain
if [[ ${1:-} == scale ]]; then
  MAIN=io.mailtls.bench.OperatorScale
  shift
elif [[ ${1:-} == scrape ]]; then
  MAIN=io.mailtls.bench.MetricsScrape # figure (f): no testbed, no sslscan
  shift
elif [[ ${1:-} == receiver ]]; then
  MAIN=io.mailtls.bench.ReceiverLoad # figure (g): no testbed, no sslscan
  shift
elif [[ ${1:-} == startup ]]; then
  MAIN=io.mailtls.bench.StartupBench # figure (h): bin/mailtls and sslscan against the testbed
  shift
fi
ARGS=()
for a in "$@"; do
  if [[ $a == --quick ]]; then
    ARGS+=(--jmh-warmup=2 --jmh-iterations=3 --jmh-seconds=1 --a-runs=10 --cli-runs=3
      --b-runs=5 --b-sslscan-runs=2 --b-sslscan-default-runs=0 --c-n=50 --c-runs=2
      --c-sslscan-default=false)
  else
    ARGS+=("$a")
  fi
done

# ---------------------------------------------------------------- JDK, tools
[[ -x $JDK/bin/java ]] || die "no JDK at $JDK (set BENCH_JDK to a JDK 21+)"
export JAVA_HOME=$JDK PATH=$JDK/bin:$PATH
if ! command -v sslscan >/dev/null || [[ ! -x /usr/sbin/postfix || ! -x /usr/sbin/dovecot ]]; then
  log "sslscan, postfix or dovecot missing: running testbed/install.sh"
  "$ROOT/testbed/install.sh"
fi
command -v ss >/dev/null || die "ss (iproute2) is needed to see which testbed ports listen"

# ---------------------------------------------------------------- build
# Formatting is not this script's business: other modules may be mid-edit.
log "building operator + bench with $(java -version 2>&1 | head -n 1)"
(cd "$ROOT" && timeout 900 mvn -q -B -DskipTests -Dspotless.check.skip=true -pl bench -am package) ||
  die "build failed"
[[ -s $HERE/target/classpath.txt ]] || die "bench/target/classpath.txt was not written"
CP="$HERE/target/classes:$(cat "$HERE/target/classpath.txt")"

if [[ $MAIN == *MetricsScrape ]]; then
  mkdir -p "$OUT"
  timeout --kill-after=30 "$LIMIT" java -cp "$CP" "$MAIN" 2>&1 | tee "$OUT/scrape.log"
  exit "${PIPESTATUS[0]}"
fi
if [[ $MAIN == *ReceiverLoad ]]; then
  mkdir -p "$OUT"
  timeout --kill-after=30 "$LIMIT" java -cp "$CP" "$MAIN" --jar="$ROOT/operator/target/mailtls.jar" \
    --out="$OUT" "${ARGS[@]}" 2>&1 | tee "$OUT/receiver.log.txt"
  exit "${PIPESTATUS[0]}"
fi

# ---------------------------------------------------------------- testbed
listening() { ss -Hltn "sport = :$1" 2>/dev/null | awk -v a="127.0.0.1:$1" '$4 == a {f = 1} END {exit !f}'; }
ports_up() {
  local n=0 p
  for p in "${PORTS[@]}"; do listening "$p" && n=$((n + 1)); done
  echo "$n"
}

STARTED=""
cleanup() {
  if [[ -n $STARTED ]]; then
    log "stopping the testbed this run started ($STARTED)"
    "$ROOT/testbed/stop.sh" "$STARTED" || log "testbed/stop.sh failed; state left in $STARTED"
    rm -rf "$STARTED"
    STARTED=""
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

up=$(ports_up)
# Someone else's start or stop may be under way: give it a minute to settle.
for _ in $(seq 60); do
  ((up == 0 || up == ${#PORTS[@]})) && break
  sleep 1
  up=$(ports_up)
done
if ((up == ${#PORTS[@]})); then
  log "testbed already listening on all ${#PORTS[@]} ports: using it as it is (not stopping it)"
elif ((up == 0)); then
  STARTED=$(mktemp -d "${TMPDIR:-/tmp}/mailtls-bench-testbed.XXXXXX")
  chmod 755 "$STARTED" # the Postfix master opens its lock file as the postfix user
  log "starting the testbed in $STARTED"
  "$ROOT/testbed/start.sh" "$STARTED"
else
  die "only $up of ${#PORTS[@]} testbed ports listen; stop the partial testbed or finish starting it"
fi

# ---------------------------------------------------------------- measure
# Figure (e) at 4,000 hosts listens on 20,000 proxy ports: raise the soft limit on open files to
# the hard one (this process and its children only).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
mkdir -p "$OUT"
log "measuring (at most ${LIMIT}s); log in $OUT/run.log"
set +e
if [[ $MAIN == *OperatorScale ]]; then
  ARGS=(--jar="$ROOT/operator/target/mailtls.jar" --crd="$ROOT/crds/mailendpointpolicies.mailtls.io-v1.yml" "${ARGS[@]}")
elif [[ $MAIN == *StartupBench ]]; then
  ARGS=(--root="$ROOT" "${ARGS[@]}")
else
  ARGS=(--cli-jar="$ROOT/operator/target/mailtls.jar" "${ARGS[@]}")
fi
timeout --kill-after=30 "$LIMIT" java -Dmailtls.root="$ROOT" -cp "$CP" "$MAIN" --out="$OUT" "${ARGS[@]}" 2>&1 | tee "$OUT/run.log"
status=${PIPESTATUS[0]}
set -e
if ((status == 124 || status == 137)); then
  die "measurements did not finish within ${LIMIT}s (BENCH_TIME_LIMIT)"
elif ((status != 0)); then
  die "$MAIN exited with $status; see $OUT/run.log"
fi
log "results: $OUT/results.md (scale: $OUT/scale-results.md)"
