#!/usr/bin/env bash
# Idempotent, non-interactive install of everything the loopback TLS testbed needs, then a proof
# that each tool does what the tests use it for (a package can be present and the tool still lack
# a feature: swaks without Net::SSLeay cannot do TLS). Skips apt-get when all packages are there.
set -euo pipefail

# What the tests use, each for one thing that prove_tools below checks:
#   postfix                 receiving and sending MTA with STARTTLS (the listeners, SendingServersIT)
#   dovecot-*               IMAP and POP3 listeners with STARTTLS and implicit TLS
#   openssl                 the s_server listeners and s_client as an independent client
#   sslscan                 the peer that bench/ measures against
#   prometheus(-alertmanager)  Prometheus, promtool and amtool check the monitoring assets
#   dnsmasq-base            the binary only, no system service: the testbed's DNS zone
#   swaks, libnet-ssleay-perl  a Perl SMTP sender of the receiver's tests; swaks only recommends
#                           the TLS module, and --no-install-recommends leaves it out
PACKAGES=(postfix dovecot-core dovecot-imapd dovecot-pop3d openssl sslscan prometheus prometheus-alertmanager dnsmasq-base swaks libnet-ssleay-perl)

# The packages above install with --no-install-recommends, so a recommended package the tests need
# would be missing on a fresh machine and present, by chance, on a used one. Every package they
# recommend must therefore be in PACKAGES or here, with the reason the tests do without it;
# check_recommends fails on any other.
NOT_NEEDED=(
  "python3: postfix's optional Python helpers (none is run)"
  "ca-certificates: the tests trust only the testbed's own CA"
  "prometheus-node-exporter: machine metrics, not scraped by the tests"
  "dns-root-data: dnsmasq's root trust anchors; the testbed zone is local and unsigned"
  "libio-socket-inet6-perl: swaks over IPv6; the tests run swaks over 127.0.0.1"
  "libnet-dns-perl: swaks's own MX look-up; the tests name the server"
)

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

check_recommends() {
  local p group alt ok bad=()
  for p in "${PACKAGES[@]}"; do
    # Recommends: "a, b | c (>= 1)": each comma-separated group is satisfied by any alternative.
    IFS=',' read -ra groups <<<"$(dpkg-query -W -f='${Recommends}' "$p")"
    for group in "${groups[@]}"; do
      ok=false
      IFS='|' read -ra alts <<<"$group"
      for alt in "${alts[@]}"; do
        alt=$(awk '{print $1}' <<<"$alt")
        alt=${alt%%:*}
        [[ -z $alt ]] && { ok=true; break; }
        if [[ " ${PACKAGES[*]} " == *" $alt "* ]] || printf '%s\n' "${NOT_NEEDED[@]}" | grep -q "^$alt: "; then
          ok=true
          break
        fi
      done
      $ok || bad+=("$p recommends${group}")
    done
  done
  if ((${#bad[@]} > 0)); then
    printf 'install.sh: %s: add it to PACKAGES if a test needs it, else to NOT_NEEDED with the reason\n' "${bad[@]}" >&2
    exit 1
  fi
}

# Each tool, proved able to do what the tests use it for; the message names what is missing.
prove() { # prove WHAT COMMAND...: runs COMMAND quietly, fails naming WHAT
  local what=$1 out
  shift
  out=$("$@" 2>&1) || { echo "install.sh: $what: failed: $*" >&2; printf '%s\n' "$out" | tail -n 3 >&2; exit 1; }
}
prove_tools() {
  prove "Postfix has TLS (postconf -T run-version names its TLS library)" \
    bash -c '/usr/sbin/postconf -T run-version | grep -q .'
  [[ -x /usr/lib/postfix/sbin/master && -x /usr/sbin/sendmail ]] ||
    { echo "install.sh: Postfix's master or sendmail is missing" >&2; exit 1; }
  prove "Dovecot has TLS, IMAP and POP3" \
    bash -c '/usr/sbin/dovecot --build-options | grep -qw openssl && [[ -x /usr/lib/dovecot/imap && -x /usr/lib/dovecot/pop3 ]]'
  prove "OpenSSL can still offer TLS 1.0 suites (the legacy listeners)" \
    bash -c "/usr/bin/openssl ciphers -tls1 'ALL:@SECLEVEL=0' | grep -q ."
  prove "sslscan runs" /usr/bin/sslscan --version
  prove "Prometheus runs" /usr/bin/prometheus --version
  prove "promtool runs" /usr/bin/promtool --version
  prove "amtool runs" /usr/bin/amtool --version
  prove "dnsmasq runs" /usr/sbin/dnsmasq --version
  prove "swaks can do TLS (swaks --support says '=== TLS supported')" \
    bash -c '/usr/bin/swaks --support 2>&1 | grep -q "^=== TLS supported"'
}

check_recommends
prove_tools
echo "install.sh: ok (each tool proved for what the tests use it for)"
