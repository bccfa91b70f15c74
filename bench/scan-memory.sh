#!/usr/bin/env bash
# Figure (i) of bench/README.md: the peak memory (RSS) and wall time of one `bin/mailtls scan` of
# N targets, each smtp://127.0.0.1:PORT with nothing listening on PORT (every version is refused at
# once, so the scan measures the CLI's own streaming, not mail servers), for each output format and
# heap asked for. Nothing but closed loopback ports is connected to; no server is started.
#
# Usage: bench/scan-memory.sh [--targets=100000] [--formats=table,json,ndjson,junit]
#                             [--heaps=default,32m]
# Needs operator/target/mailtls.jar: mvn -B -ntp -q -pl operator package -DskipTests -Dfuzz.skip=true
# (whose package phase trains the AOT cache with one scan of a `mailtls receive` on a random
# loopback port), and GNU time (/usr/bin/time).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
TARGETS=100000
FORMATS=table,json,ndjson,junit
HEAPS=default,32m
for a in "$@"; do
  case $a in
    --targets=*) TARGETS=${a#*=} ;;
    --formats=*) FORMATS=${a#*=} ;;
    --heaps=*) HEAPS=${a#*=} ;;
    *) echo "scan-memory: unknown option $a" >&2; exit 2 ;;
  esac
done
[[ -f $ROOT/operator/target/mailtls.jar ]] ||
  { echo "scan-memory: build operator/target/mailtls.jar first (see the header)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "scan-memory: GNU time (/usr/bin/time) is needed" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# 20 ports nothing listens on (ss sees every listener of this host's network namespace).
listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
ports=()
for ((p = 30000; p < 40000 && ${#ports[@]} < 20; p++)); do
  listening "$p" || ports+=("$p")
done
((${#ports[@]} == 20)) || { echo "scan-memory: no 20 closed ports in 30000-39999" >&2; exit 1; }
for ((i = 0; i < TARGETS; i++)); do
  echo "smtp://127.0.0.1:${ports[i % 20]}"
done >"$WORK/targets.txt"

echo "| -o | heap | exit | endpoints | wall | peak RSS |"
echo "|---|---|---|---|---|---|"
IFS=, read -ra formats <<<"$FORMATS"
IFS=, read -ra heaps <<<"$HEAPS"
for heap in "${heaps[@]}"; do
  for format in "${formats[@]}"; do
    opts=""
    [[ $heap == default ]] || opts="-Xmx$heap"
    status=0
    MAILTLS_JAVA_OPTS=$opts /usr/bin/time -v "$ROOT/bin/mailtls" scan \
      --targets-file "$WORK/targets.txt" --timeout 2s --deadline 10m -o "$format" \
      >"$WORK/out" 2>"$WORK/time" || status=$?
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time")
    case $format in
      table) endpoints=$(grep -c '^smtp://127\.0\.0\.1:[0-9]* ' "$WORK/out" || true) ;;
      ndjson) endpoints=$(wc -l <"$WORK/out") ;;
      json) endpoints=$(grep -c '^    "verdict"' "$WORK/out" || true) ;;
      junit) endpoints=$(grep -c '<testcase ' "$WORK/out" || true) ;;
    esac
    if grep -q OutOfMemoryError "$WORK/time"; then
      endpoints="$endpoints (OutOfMemoryError)"
    fi
    echo "| $format | $heap | $status | $endpoints | $wall | $((rss / 1024)) MiB |"
  done
done
