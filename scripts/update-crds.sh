#!/usr/bin/env bash
# Regenerates the CRD from the api package and copies it to crds/, where it is committed.
# The build (CommittedCrdTest) fails while the committed copy differs from the generated one.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh
mvn -B -q -pl operator -Dspotless.check.skip=true process-classes
cp operator/target/classes/META-INF/fabric8/mailendpointpolicies.mailtls.io-v1.yml crds/
echo "crds/ updated"
