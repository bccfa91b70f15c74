#!/usr/bin/env bash
# Idempotent, non-interactive install of everything the loopback TLS testbed needs.
# Skips apt-get entirely when all packages are already installed.
set -euo pipefail

# prometheus (with promtool) and prometheus-alertmanager (amtool) check the monitoring assets.
PACKAGES=(postfix dovecot-core dovecot-imapd dovecot-pop3d openssl sslscan prometheus prometheus-alertmanager)

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
  if ! apt_install; then
    "${SUDO[@]}" apt-get update -qq
    apt_install
  fi
fi

# Make sure no system-wide postfix/dovecot instance is left running (the package
# post-install scripts may start one on machines without a blocking policy-rc.d).
# Our testbed instances are never matched: they run with -c <STATE_DIR>/...
stop_system_instances() {
  if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
    "${SUDO[@]}" systemctl stop postfix.service dovecot.service dovecot.socket \
      prometheus.service prometheus-alertmanager.service >/dev/null 2>&1 || true
    "${SUDO[@]}" systemctl disable postfix.service dovecot.service \
      prometheus.service prometheus-alertmanager.service >/dev/null 2>&1 || true
  fi
  # Default-config postfix (config dir /etc/postfix).
  if [[ -f /var/spool/postfix/pid/master.pid ]]; then
    local pid
    pid=$(tr -d ' ' </var/spool/postfix/pid/master.pid)
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      "${SUDO[@]}" postfix stop >/dev/null 2>&1 || "${SUDO[@]}" kill "$pid" || true
    fi
  fi
  # Default-config dovecot (base_dir /run/dovecot).
  if [[ -f /run/dovecot/master.pid ]]; then
    local pid
    pid=$(tr -d ' ' </run/dovecot/master.pid)
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      "${SUDO[@]}" doveadm stop >/dev/null 2>&1 || "${SUDO[@]}" kill "$pid" || true
    fi
  fi
}
stop_system_instances

for bin in /usr/sbin/postfix /usr/lib/postfix/sbin/master /usr/sbin/dovecot /usr/bin/openssl /usr/bin/sslscan \
  /usr/bin/prometheus /usr/bin/promtool /usr/bin/amtool; do
  [[ -x "$bin" ]] || { echo "install.sh: expected $bin after install" >&2; exit 1; }
done
echo "install.sh: ok"
