#!/usr/bin/env bash
# Regenerates the CRD from the api package and copies it to crds/ and the chart's crds/, where
# both are committed; and copies the alert rules and the dashboard into the chart's files/ (real
# copies: Helm packages no symlinks).
# The build fails while a committed copy differs: CommittedCrdTest for the CRD, HelmChartTest for
# the chart's copies.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh
mvn -B -q -pl operator -Dspotless.check.skip=true process-classes
cp operator/target/classes/META-INF/fabric8/mailendpointpolicies.mailtls.io-v1.yml crds/
cp crds/mailendpointpolicies.mailtls.io-v1.yml helm/mail-tls-operator/crds/
cp config/prometheus/mailtls-rules.yaml config/grafana/mailtls-dashboard.json \
  crds/mailendpointpolicies.mailtls.io-v1.yml helm/mail-tls-operator/files/
echo "crds/ and helm/mail-tls-operator/files/ updated"
