#!/usr/bin/env bash
# Trains the AOT cache that bin/mailtls starts with (JDK 25+: JEP 483 and 514): one `mailtls scan`
# of a STARTTLS endpoint, served by `mailtls receive` on a loopback port, records the classes a scan
# loads and links. Run by `mvn package` (operator/pom.xml) after the jar and lib/ are in place.
#
# Usage: scripts/aot-train.sh TARGET_DIR JAVA
# Writes TARGET_DIR/mailtls.aot and TARGET_DIR/mailtls.aot.java (the JDK it is valid for). Never
# fails the build: without a cache the launcher starts as it did before, only slower.
set -uo pipefail

TARGET=$1
JAVA=$2
JAR=$TARGET/mailtls.jar
AOT=$TARGET/mailtls.aot
rm -f "$AOT" "$AOT.java"

skip() {
  echo "aot-train: no AOT cache ($*); bin/mailtls starts without one" >&2
  exit 0
}

version=$("$JAVA" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')
[[ $version =~ ^[0-9]+$ ]] && ((version >= 25)) || skip "Java ${version:-unknown}; it needs 25+"

# The options bin/mailtls gives a scan: a cache is only used by a JVM started like its training.
SCAN_OPTS=(--sun-misc-unsafe-memory-access=allow -XX:UserThreadWaitAttemptsAtExit=0
  -XX:TieredStopAtLevel=1 -XX:+UseSerialGC)

receiver=""
cleanup() {
  if [[ -n $receiver ]]; then
    kill "$receiver" 2>/dev/null
    wait "$receiver" 2>/dev/null
  fi
}
trap cleanup EXIT

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

port=""
for _ in 1 2 3 4 5; do
  candidate=$((40000 + RANDOM % 20000))
  listening "$candidate" && continue # someone else's
  "$JAVA" --sun-misc-unsafe-memory-access=allow -jar "$JAR" receive \
    --listen "127.0.0.1:$candidate" --metrics-port 0 --health-port 0 --log-level warn \
    >/dev/null 2>&1 &
  receiver=$!
  for _ in $(seq 100); do
    listening "$candidate" && break
    kill -0 "$receiver" 2>/dev/null || break
    sleep 0.1
  done
  if listening "$candidate"; then
    port=$candidate
    break
  fi
  cleanup
  receiver=""
done
[[ -n $port ]] || skip "the training receiver did not start on a loopback port"

# Exit 0 or 1 is a verdict (the receiver's self-signed certificate is fine either way).
"$JAVA" "${SCAN_OPTS[@]}" -XX:AOTCacheOutput="$AOT" -Xlog:aot*=warning -jar "$JAR" \
  scan "smtp://127.0.0.1:$port" >/dev/null
status=$?
((status <= 1)) && [[ -s $AOT ]] || skip "the training scan exited with $status"
# The JDK it was trained with, as bin/mailtls names it: JAVA with /bin/java taken off.
java_path=$(readlink -f "$JAVA")
echo "${java_path%/bin/java}" >"$AOT.java"
echo "aot-train: $AOT ($(du -m "$AOT" | cut -f1) MiB) for ${java_path%/bin/java}" >&2
