#!/usr/bin/env bash
# The main job on a fresh machine, no cluster and no internet needed: builds mailtls, starts the
# loopback testbed (real Postfix, Dovecot and OpenSSL servers with different TLS floors), scans
# every endpoint of it once and the mail domains of its DNS zone, prints the report and stops the
# testbed again.
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
bin/mailtls scan --ca-file "$state/ca.pem" --servername mail.test.local \
  "${TB_TARGETS[@]}" "$@"
listeners=$?
echo
# The testbed's zone (testbed/dnsmasq.conf): a mail domain with two MX hosts, a name with three
# addresses (one of them ::1), a null MX.
bin/mailtls scan --ca-file "$state/ca.pem" --dns-server "$TB_DNS_SERVER" \
  mx://mail.test.local:24030 smtp://pool.test.local:24030 mx://nullmx.test.local "$@"
domains=$?
set -e
# Exit 1 only means "some endpoints are not compliant", which is what this demo shows.
[[ $listeners -le 1 && $domains -le 1 ]]
