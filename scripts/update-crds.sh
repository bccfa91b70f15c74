#!/usr/bin/env bash
# Regenerates the CRD from the api package and copies it to crds/ and the chart's crds/, where
# both are committed.
# The build (CommittedCrdTest) fails while the committed copy differs from the generated one.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh
mvn -B -q -pl operator -Dspotless.check.skip=true process-classes
cp operator/target/classes/META-INF/fabric8/mailendpointpolicies.mailtls.io-v1.yml crds/
cp crds/mailendpointpolicies.mailtls.io-v1.yml helm/mail-tls-operator/crds/
echo "crds/ updated"
