#!/usr/bin/env bash
# Idempotent, non-interactive install of everything the loopback TLS testbed needs.
# Skips apt-get entirely when all packages are already installed.
set -euo pipefail

# prometheus (with promtool) and prometheus-alertmanager (amtool) check the monitoring assets.
# dnsmasq-base (the binary only, no system service) serves the testbed's DNS zone.
# swaks (a Perl SMTP client) is one of the senders of the test receiver's integration tests.
PACKAGES=(postfix dovecot-core dovecot-imapd dovecot-pop3d openssl sslscan prometheus prometheus-alertmanager dnsmasq-base swaks)

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "install.sh: must run as root (or have sudo)" >&2
    exit 1
  fi
fi

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

missing=()
for p in "${PACKAGES[@]}"; do
  is_installed "$p" || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "install.sh: all packages already installed (${PACKAGES[*]})"
else
  echo "install.sh: installing ${missing[*]}"
  # Preseed postfix so it neither prompts nor configures a system mailer.
  printf '%s\n' \
    "postfix postfix/main_mailer_type select No configuration" \
    "postfix postfix/mailname string mail.test.local" |
    "${SUDO[@]}" debconf-set-selections
  export DEBIAN_FRONTEND=noninteractive
  # Only refresh the package lists when they are missing (first run on a fresh machine)
  # or when installing fails because they are stale.
  if ! compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null; then
    "${SUDO[@]}" apt-get update -qq
  fi
  apt_install() {
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
      --no-install-recommends "${missing[@]}"
  }
  # The packages' maintainer scripts would start system-wide Postfix, Dovecot and Prometheus
  # instances. A policy-rc.d that refuses every start keeps them from it; it is put in place only
  # when the machine has none (a policy of the machine's own is never touched) and removed again.
  POLICY_RC=/usr/sbin/policy-rc.d
  if [[ ! -e $POLICY_RC ]]; then
    printf '#!/bin/sh\n# mail-tls-operator testbed/install.sh: no service starts while it installs\nexit 101\n' |
      "${SUDO[@]}" tee "$POLICY_RC" >/dev/null
    "${SUDO[@]}" chmod 755 "$POLICY_RC"
    trap '"${SUDO[@]}" rm -f "$POLICY_RC"' EXIT
  fi
  if ! apt_install; then
    "${SUDO[@]}" apt-get update -qq
    apt_install
  fi
  # The packages installed just now are ours: their services stay off at boot too. Services the
  # machine had before are left exactly as they were, running or not.
  if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
    for p in "${missing[@]}"; do
      case $p in
        postfix) units=(postfix.service) ;;
        dovecot-core) units=(dovecot.service dovecot.socket) ;;
        prometheus) units=(prometheus.service) ;;
        prometheus-alertmanager) units=(prometheus-alertmanager.service) ;;
        *) units=() ;;
      esac
      ((${#units[@]} == 0)) || "${SUDO[@]}" systemctl disable "${units[@]}" >/dev/null 2>&1 || true
    done
  fi
fi

# The testbed runs its own instances (own config, queue and run directories, ports 24xxx), so a
# system Postfix, Dovecot or Prometheus that the machine already runs is never stopped or changed.

for bin in /usr/sbin/postfix /usr/lib/postfix/sbin/master /usr/sbin/dovecot /usr/bin/openssl /usr/bin/sslscan \
  /usr/bin/prometheus /usr/bin/promtool /usr/bin/amtool /usr/sbin/dnsmasq /usr/bin/swaks; do
  [[ -x "$bin" ]] || { echo "install.sh: expected $bin after install" >&2; exit 1; }
done
echo "install.sh: ok"
