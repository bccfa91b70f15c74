#!/usr/bin/env bash
# Runs every test: unit tests, then the integration tests against the real loopback mail
# servers of testbed/ (installed here from Debian if missing; started and stopped by the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
bash testbed/install.sh
# The README's commands must leave the machine's own services alone: a Postfix that the scripts
# did not start must still run, unchanged, after they install, start and stop the testbed.
bash testbed/bystander-check.sh
mvn -B -ntp verify "$@"
