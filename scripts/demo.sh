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
java -jar operator/target/mailtls.jar scan --ca-file "$state/ca.pem" --servername mail.test.local \
  smtp://127.0.0.1:24025 smtp://127.0.0.1:24026 smtp://127.0.0.1:24027 smtp://127.0.0.1:24028 \
  smtps://127.0.0.1:24465 imap://127.0.0.1:24143 imaps://127.0.0.1:24993 \
  pop3://127.0.0.1:24110 pop3s://127.0.0.1:24995 smtps://127.0.0.1:24466 smtps://127.0.0.1:24467 \
  "$@"
status=$?
set -e
# Exit 1 only means "some endpoints are not compliant", which is what this demo shows.
[[ $status -le 1 ]]
