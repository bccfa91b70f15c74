#!/usr/bin/env bash
# Regenerates the CRDs from the api package and copies it to crds/ and the chart's crds/, where
# both are committed; and copies the alert rules and the dashboard into the chart's files/ (real
# copies: Helm packages no symlinks).
# The build fails while a committed copy differs: CommittedCrdTest for the CRD, HelmChartTest for
# the chart's copies.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh
mvn -B -q -pl operator -Dspotless.check.skip=true process-classes
for crd in mailendpointpolicies.mailtls.io-v1.yml mailsenderpolicies.mailtls.io-v1.yml; do
  cp "operator/target/classes/META-INF/fabric8/$crd" crds/
  cp "crds/$crd" helm/mail-tls-operator/crds/
  cp "crds/$crd" helm/mail-tls-operator/files/
done
cp config/prometheus/mailtls-rules.yaml config/grafana/mailtls-dashboard.json \
  helm/mail-tls-operator/files/
echo "crds/ and helm/mail-tls-operator/files/ updated"
