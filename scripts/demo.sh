#!/usr/bin/env bash
# The main job on a fresh machine, no cluster and no internet needed: builds mailtls, starts the
# loopback testbed (real Postfix, Dovecot and OpenSSL servers with different TLS floors), scans
# every endpoint of it once, prints the report and stops the testbed again.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
bash testbed/install.sh >/dev/null
mvn -B -q -ntp -DskipTests package
state=$(mktemp -d /tmp/mailtls-demo.XXXXXX)
chmod 755 "$state" # Postfix opens its lock file as the postfix user
trap 'bash testbed/stop.sh "$state" >/dev/null 2>&1 || true; rm -rf "$state"' EXIT
bash testbed/start.sh "$state" >/dev/null
set +e
source testbed/lib.sh # TB_TARGETS: every listener of testbed/listeners.txt
java -jar operator/target/mailtls.jar scan --ca-file "$state/ca.pem" --servername mail.test.local \
  "${TB_TARGETS[@]}" "$@"
status=$?
set -e
# Exit 1 only means "some endpoints are not compliant", which is what this demo shows.
[[ $status -le 1 ]]
