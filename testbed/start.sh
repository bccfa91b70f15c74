#!/usr/bin/env bash
# Start the loopback mail/TLS testbed.  Usage: start.sh STATE_DIR
#
# Generates a throwaway CA + server certificate, writes Postfix / Dovecot configs and starts
# every listener in lib.sh on 127.0.0.1.  All state (configs, queues, logs, sockets, pid files)
# lives under STATE_DIR; nothing in /etc or /var is modified.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

[[ $# -eq 1 && -n "$1" ]] || { echo "usage: $0 STATE_DIR" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || tb_die "must run as root (postfix master and dovecot need it)"
for bin in openssl ss /usr/sbin/postfix /usr/sbin/dovecot; do
  command -v "$bin" >/dev/null 2>&1 || tb_die "$bin not found: run $HERE/install.sh first"
done

STATE=$(tb_abs "$1")
tb_lock "$0" "$@"
START_TIMEOUT=${TESTBED_START_TIMEOUT:-20}   # seconds to wait for all ports

all_up() {
  local p
  for p in "${TB_PORTS[@]}"; do tb_port_listening "$p" || return 1; done
  for z in "${TB_ZONE_SOCKETS[@]}"; do tb_socket_listening "$z" || return 1; done
  return 0
}

# ---------------------------------------------------------------- idempotency
if [[ -f "$STATE/pids" ]]; then
  if all_up; then
    tb_log "already running (state $STATE)"
    exit 0
  fi
  tb_log "stale or partial testbed in $STATE: stopping it first"
  "$HERE/stop.sh" "$STATE"
fi

busy=()
for p in "${TB_PORTS[@]}"; do tb_port_in_use "$p" && busy+=("$p"); done
for z in "${TB_ZONE_SOCKETS[@]}"; do tb_socket_listening "$z" && busy+=("${z#* }"); done
if ((${#busy[@]})); then
  ss -ltnp 2>/dev/null | grep -E ":($(IFS='|'; echo "${busy[*]}"))\b" >&2 || true
  tb_die "port(s) ${busy[*]} already in use by something not started from $STATE"
fi

# From here on, a failed start tears down whatever it already started (logs are kept).
cleanup_on_failure() {
  local rc=$?
  if ((rc != 0)); then
    tb_log "start failed (exit $rc): stopping what was started; logs in $STATE/logs"
    "$HERE/stop.sh" "$STATE" >&2 || true
  fi
}
trap cleanup_on_failure EXIT

umask 022
mkdir -p "$STATE"
chmod 755 "$STATE"
mkdir -p "$STATE/logs" "$STATE/run"
# The Postfix master opens its lock file as the postfix user (and Dovecot's unprivileged
# processes need the same), so every directory above STATE must be searchable by others.
# E.g. JUnit's @TempDir and mktemp -d create 0700 directories: use a path under target/.
if ! runuser -u postfix -- test -x "$STATE" 2>/dev/null; then
  d=$STATE
  while [[ $d != / ]]; do
    runuser -u postfix -- test -x "$d" 2>/dev/null || bad=$d
    d=$(dirname "$d")
  done
  tb_die "STATE_DIR $STATE is not reachable by the unprivileged postfix/dovecot users (${bad:-?} is not searchable): use a directory whose parents are world-searchable (chmod o+x), e.g. under target/"
fi
: >"$STATE/pids.tmp"

# Run a command in a subshell with every descriptor above 2 closed, so daemons never inherit
# (and keep open) the caller's descriptors, e.g. a test runner's output pipe.  Dovecot does
# not close inherited descriptors itself.  It execs: call it in a subshell, ( ... ) or &.
clean_exec() {
  local fd
  for fd in /proc/"$BASHPID"/fd/*; do
    fd=${fd##*/}
    ((fd > 2)) && { eval "exec $fd>&-"; } 2>/dev/null
  done
  exec "$@"
}

# ---------------------------------------------------------------- certificates
gen_certs() {
  local d=$STATE/tls
  rm -rf "$d"
  mkdir -p "$d"
  chmod 755 "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
    -keyout "$d/ca.key" -out "$d/ca.pem" \
    -subj "/O=mail-tls-operator testbed/CN=mail-tls-operator Testbed CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" 2>"$STATE/logs/openssl-certs.log"
  openssl req -new -newkey rsa:2048 -nodes -sha256 \
    -keyout "$d/server.key" -out "$d/server.csr" \
    -subj "/O=mail-tls-operator testbed/CN=mail.test.local" 2>>"$STATE/logs/openssl-certs.log"
  cat >"$d/server.ext" <<'EOF'
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:mail.test.local,DNS:localhost,IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
  openssl x509 -req -sha256 -days 825 -in "$d/server.csr" \
    -CA "$d/ca.pem" -CAkey "$d/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
    -extfile "$d/server.ext" -out "$d/server.pem" 2>>"$STATE/logs/openssl-certs.log"
  cat "$d/server.pem" "$d/ca.pem" >"$d/server-chain.pem"
  # Fixed RFC 7919 group: instant, unlike `openssl dhparam`.
  openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out "$d/dh.pem"
  chmod 600 "$d/ca.key" "$d/server.key"
  rm -f "$d/server.csr"
}
if [[ ! -s "$STATE/tls/server-chain.pem" || ! -s "$STATE/tls/dh.pem" ]] ||
  ! openssl x509 -checkend 86400 -noout -in "$STATE/tls/server.pem" >/dev/null 2>&1; then
  gen_certs
fi
cp "$STATE/tls/ca.pem" "$STATE/ca.pem"
CERT=$STATE/tls/server-chain.pem
KEY=$STATE/tls/server.key

# ---------------------------------------------------------------- postfix
# One Postfix instance, own config dir, every listener is a master.cf entry with -o overrides.
PF=$STATE/postfix
PFC=$PF/etc
mkdir -p "$PFC" "$PF/queue" "$PF/data"
chown root:root "$PF" "$PFC" "$PF/queue"
chmod 755 "$PF" "$PFC" "$PF/queue"
chown postfix "$PF/data"
chmod 700 "$PF/data"
: >"$STATE/logs/postfix.log"

cat >"$PFC/main.cf" <<EOF
# Generated by testbed/start.sh - loopback-only Postfix for TLS probing tests.
compatibility_level = 3.6
queue_directory = $PF/queue
data_directory = $PF/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $STATE/logs/postfix.log
maillog_file_prefixes = $STATE/logs
syslog_name = postfix-testbed

myhostname = mail.test.local
mydomain = test.local
myorigin = \$myhostname
mydestination =
relay_domains =
local_recipient_maps =
alias_maps =
alias_database =
local_transport = error:local delivery disabled in testbed
default_transport = error:outbound delivery disabled in testbed
# 127.0.0.1 and ::1. The address listeners of the DNS zone (port 24030) name 127.0.0.2 and
# 127.0.0.3 in master.cf, which Postfix binds although they are no interface's own address.
inet_interfaces = loopback-only
inet_protocols = all
mynetworks = 127.0.0.0/8
biff = no
smtputf8_enable = no
smtpd_banner = \$myhostname ESMTP Postfix (mail-tls-operator testbed)

# No DNS at all: no reverse lookups of clients, no MX lookups.
smtpd_peername_lookup = no
smtp_host_lookup = native
lmtp_host_lookup = native
smtp_dns_support_level = disabled

# Never slow down or refuse a scanner hammering from loopback.
smtpd_error_sleep_time = 0
smtpd_soft_error_limit = 1000
smtpd_hard_error_limit = 1000
smtpd_junk_command_limit = 1000
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
smtpd_client_message_rate_limit = 0
smtpd_client_recipient_rate_limit = 0
smtpd_client_new_tls_session_rate_limit = 0
smtpd_client_auth_rate_limit = 0
smtpd_client_event_limit_exceptions = 127.0.0.0/8
smtpd_timeout = 60s
smtpd_starttls_timeout = 60s
default_process_limit = 100

# TLS.  Per-listener protocol ranges are set with -o in master.cf.
smtpd_tls_cert_file = $CERT
smtpd_tls_key_file = $KEY
smtpd_tls_security_level = may
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtpd_tls_ciphers = medium
smtpd_tls_mandatory_ciphers = medium
# OpenSSL 3 refuses TLS 1.0/1.1 at the default security level 1 (SHA1/MD5 signatures);
# @SECLEVEL=0 re-enables them.  aNULL excluded so a certificate is always presented.
tls_medium_cipherlist = HIGH:MEDIUM:!aNULL:!eNULL:@SECLEVEL=0:@STRENGTH
smtpd_tls_exclude_ciphers = aNULL, eNULL
smtpd_tls_loglevel = 1
smtpd_tls_received_header = yes

# The sending side: three test senders that relay to the test receiver the integration tests
# start on $TB_HOST:$TB_RECEIVER_PORT (see the smtp-* transports in master.cf). Nothing else is
# ever sent: every other domain goes to default_transport, which refuses.
transport_maps = texthash:$PFC/transport
smtp_tls_loglevel = 1
smtp_tls_ciphers = medium
smtp_connect_timeout = 5s
EOF
cat >"$PFC/transport" <<EOF
legacy.receiver.test smtp-legacy:[$TB_HOST]:$TB_RECEIVER_PORT
modern.receiver.test smtp-modern:[$TB_HOST]:$TB_RECEIVER_PORT
plain.receiver.test smtp-plain:[$TB_HOST]:$TB_RECEIVER_PORT
EOF

# Listener entries.  chroot=n everywhere (the queue dir is not a prepared chroot jail).
smtpd_line() { # [address:]port, then -o args
  local listen=$1
  shift
  [[ $listen == *:* ]] || listen=$TB_HOST:$listen
  printf '%s inet n - n - 100 smtpd\n' "$listen"
  printf '  -o syslog_name=postfix-testbed/%s\n' "${listen##*:}"
  local o
  for o in "$@"; do printf '  -o %s\n' "$o"; done
}
{
  echo "# Generated by testbed/start.sh"
  echo "# service type  private unpriv  chroot  wakeup  maxproc command + args"
  smtpd_line 24025 smtpd_tls_security_level=may \
    'smtpd_tls_protocols=>=TLSv1.2' 'smtpd_tls_mandatory_protocols=>=TLSv1.2'
  smtpd_line 24026 smtpd_tls_security_level=may \
    'smtpd_tls_protocols=>=TLSv1' 'smtpd_tls_mandatory_protocols=>=TLSv1'
  smtpd_line 24027 smtpd_tls_security_level=none
  smtpd_line 24028 smtpd_tls_security_level=may \
    'smtpd_tls_protocols=!SSLv2,!SSLv3,!TLSv1.2,!TLSv1.3' \
    'smtpd_tls_mandatory_protocols=!SSLv2,!SSLv3,!TLSv1.2,!TLSv1.3'
  # One session per client at a time: the others get "421 4.7.0 ... too many connections" at
  # the greeting (anvil; loopback is no longer exempt on this listener).
  smtpd_line 24029 smtpd_tls_security_level=may \
    'smtpd_tls_protocols=>=TLSv1.2' 'smtpd_tls_mandatory_protocols=>=TLSv1.2' \
    smtpd_client_connection_count_limit=1 smtpd_client_event_limit_exceptions=
  # The address listeners of the DNS zone (dnsmasq.conf): one port, a TLS floor per address.
  smtpd_line 127.0.0.2:24030 smtpd_tls_security_level=may \
    'smtpd_tls_protocols=>=TLSv1.2' 'smtpd_tls_mandatory_protocols=>=TLSv1.2'
  smtpd_line 127.0.0.3:24030 smtpd_tls_security_level=may \
    'smtpd_tls_protocols=>=TLSv1' 'smtpd_tls_mandatory_protocols=>=TLSv1'
  smtpd_line '[::1]:24030' smtpd_tls_security_level=may \
    'smtpd_tls_protocols=>=TLSv1.2' 'smtpd_tls_mandatory_protocols=>=TLSv1.2'
  # postscreen in front of smtpd, as on many real MX hosts: a multi-line greeting (its "220-"
  # line, then smtpd's "220 "), and one connection per client at a time ("421 4.7.0 ... too
  # many connections"). Loopback is not on its access list, so it gets no exemption.
  printf '%s:24031 inet n - n - 1 postscreen\n' "$TB_HOST"
  printf '  -o syslog_name=postfix-testbed/24031\n'
  printf '  -o postscreen_access_list=\n'
  printf '  -o postscreen_greet_wait=1s\n'
  printf '  -o postscreen_client_connection_count_limit=1\n'
  printf '  -o { postscreen_greet_banner = mail.test.local ESMTP postscreen (mail-tls-operator testbed) }\n'
  printf 'smtpd pass - - n - - smtpd\n'
  printf '  -o syslog_name=postfix-testbed/24031\n'
  printf '  -o smtpd_tls_security_level=may\n'
  printf '  -o smtpd_tls_protocols=>=TLSv1.2\n'
  printf '  -o smtpd_tls_mandatory_protocols=>=TLSv1.2\n'
  smtpd_line 24465 smtpd_tls_wrappermode=yes smtpd_tls_security_level=encrypt \
    'smtpd_tls_protocols=>=TLSv1.2' 'smtpd_tls_mandatory_protocols=>=TLSv1.2'
  # Test senders, one loopback address and EHLO name each, as three different mail servers:
  # TLS 1.0/1.1 only (an Exchange without TLS 1.2 in SCHANNEL's Client side), modern, no TLS.
  sender_line() { # name, address, then -o args
    printf 'smtp-%s unix - - n - - smtp\n' "$1"
    printf '  -o syslog_name=postfix-testbed/sender-%s\n' "$1"
    printf '  -o smtp_bind_address=%s\n' "$2"
    printf '  -o smtp_helo_name=%s.sender.test\n' "$1"
    local o
    for o in "${@:3}"; do printf '  -o %s\n' "$o"; done
  }
  sender_line legacy 127.0.0.11 smtp_tls_security_level=may \
    'smtp_tls_protocols=>=TLSv1,<=TLSv1.1' 'smtp_tls_mandatory_protocols=>=TLSv1,<=TLSv1.1'
  sender_line modern 127.0.0.12 smtp_tls_security_level=may \
    'smtp_tls_protocols=>=TLSv1.2' 'smtp_tls_mandatory_protocols=>=TLSv1.2'
  sender_line plain 127.0.0.13 smtp_tls_security_level=none
  cat <<'EOF'
pickup     unix  n       -       n       60      1       pickup
cleanup    unix  n       -       n       -       0       cleanup
qmgr       unix  n       -       n       300     1       qmgr
tlsmgr     unix  -       -       n       1000?   1       tlsmgr
dnsblog    unix  -       -       n       -       0       dnsblog
tlsproxy   unix  -       -       n       -       0       tlsproxy
rewrite    unix  -       -       n       -       -       trivial-rewrite
bounce     unix  -       -       n       -       0       bounce
defer      unix  -       -       n       -       0       bounce
trace      unix  -       -       n       -       0       bounce
verify     unix  -       -       n       -       1       verify
flush      unix  n       -       n       1000?   0       flush
proxymap   unix  -       -       n       -       -       proxymap
proxywrite unix  -       -       n       -       1       proxymap
smtp       unix  -       -       n       -       -       smtp
relay      unix  -       -       n       -       -       smtp
showq      unix  n       -       n       -       -       showq
error      unix  -       -       n       -       -       error
retry      unix  -       -       n       -       -       error
discard    unix  -       -       n       -       -       discard
anvil      unix  -       -       n       -       1       anvil
scache     unix  -       -       n       -       1       scache
postlog    unix-dgram n  -       n       -       1       postlogd
EOF
} >"$PFC/master.cf"

# Postfix re-reads a "hot" main.cf (mtime within the last second) until it has cooled down
# (dict_load_file: "pausing to let ... cool down"), which costs ~0.3-0.6 s in *every* postconf /
# postsuper / master run of `postfix start` (2+ s in total).  Backdate the generated files.
touch -d "@$(($(date +%s) - 10))" "$PFC/main.cf" "$PFC/master.cf"

# `postfix -c DIR start` as root: Postfix only insists on alternate_config_directories /
# multi_instance_directories in the *default* main.cf when the caller is unprivileged, so
# root can use any root-owned config dir.  It runs the normal integrity checks, creates the
# queue sub-directories (post-install create-missing) and `master -w` daemonizes after the
# master has initialised, so a config error makes this command fail.
if ! (clean_exec /usr/sbin/postfix -c "$PFC" start) </dev/null >>"$STATE/logs/postfix-start.log" 2>&1; then
  cat "$STATE/logs/postfix-start.log" >&2
  tail -n 30 "$STATE/logs/postfix.log" >&2 || true
  tb_die "postfix failed to start (logs: $STATE/logs/postfix-start.log, $STATE/logs/postfix.log)"
fi
pf_pid=$(tb_read_pid "$PF/queue/pid/master.pid")
echo "postfix $pf_pid $PFC" >>"$STATE/pids.tmp"

# ---------------------------------------------------------------- dovecot
# ssl_min_protocol is effectively global for a dovecot instance (all listeners share one
# login-process SSL setup per protocol), so two instances: "legacy" and "modern".
printf 'test:{PLAIN}test::::::\n' >"$STATE/run/dovecot-users"
chmod 644 "$STATE/run/dovecot-users"

write_dovecot_conf() { # name min_protocol cipher_list imap_port imaps_port pop3_port pop3s_port
  local name=$1 minp=$2 ciphers=$3 imap=$4 imaps=$5 pop3=$6 pop3s=$7
  local base=$STATE/run/dovecot-$name
  mkdir -p "$base" "$STATE/run/dovecot-$name-state" "$STATE/run/mail"
  chmod 755 "$base"
  cat >"$STATE/dovecot-$name.conf" <<EOF
# Generated by testbed/start.sh - loopback-only Dovecot ($name TLS floor $minp).
instance_name = testbed-$name
base_dir = $base
state_dir = $STATE/run/dovecot-$name-state
log_path = $STATE/logs/dovecot-$name.log
protocols = imap pop3
listen = $TB_HOST
shutdown_clients = yes
login_greeting = Dovecot ready (mail-tls-operator testbed $name).

ssl = yes
ssl_cert = <$CERT
ssl_key = <$KEY
ssl_dh = <$STATE/tls/dh.pem
ssl_min_protocol = $minp
ssl_cipher_list = $ciphers
verbose_ssl = no

# No real mail: a single dummy account is enough for CAPABILITY/STARTTLS probing.
disable_plaintext_auth = yes
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = scheme=PLAIN $STATE/run/dovecot-users
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$STATE/run/mail/%u
}
mail_location = maildir:~/Maildir

# "High-performance" login mode: long-lived login processes, no fork per connection.
service imap-login {
  inet_listener imap {
    address = $TB_HOST
    port = $imap
  }
  inet_listener imaps {
    address = $TB_HOST
    port = $imaps
    ssl = yes
  }
  service_count = 0
  process_min_avail = 2
}
service pop3-login {
  inet_listener pop3 {
    address = $TB_HOST
    port = $pop3
  }
  inet_listener pop3s {
    address = $TB_HOST
    port = $pop3s
    ssl = yes
  }
  service_count = 0
  process_min_avail = 2
}
EOF
}
# Port 0 disables a listener.
write_dovecot_conf legacy TLSv1 'ALL:!aNULL:!eNULL:@SECLEVEL=0' 24143 0 0 24995
write_dovecot_conf modern TLSv1.2 'ALL:!aNULL:!eNULL:!kRSA:!PSK:!SRP:!DSS:!3DES:!RC4:!MD5' 0 24993 24110 0

for name in legacy modern; do
  : >"$STATE/logs/dovecot-$name.log"
  if ! (clean_exec /usr/sbin/dovecot -c "$STATE/dovecot-$name.conf") </dev/null >>"$STATE/logs/dovecot-$name.log" 2>&1; then
    tail -n 30 "$STATE/logs/dovecot-$name.log" >&2 || true
    tb_die "dovecot ($name) failed to start (log: $STATE/logs/dovecot-$name.log)"
  fi
  # dovecot daemonizes before the new master writes its pid file
  for _ in $(seq 50); do
    dv_pid=$(tb_read_pid "$STATE/run/dovecot-$name/master.pid")
    tb_pid_alive "$dv_pid" && break
    sleep 0.1
  done
  tb_pid_alive "$dv_pid" || {
    tail -n 30 "$STATE/logs/dovecot-$name.log" >&2 || true
    tb_die "dovecot ($name) did not write $STATE/run/dovecot-$name/master.pid"
  }
  echo "dovecot-$name $dv_pid $STATE/dovecot-$name.conf" >>"$STATE/pids.tmp"
done

# ---------------------------------------------------------------- openssl s_server
# s_server is single-threaded and serves connections one after another (no -naccept =
# forever).  stdin is /dev/null: with -quiet that makes it close each connection right after
# the handshake instead of waiting for console input, so it keeps accepting new clients.
# setsid detaches it from the caller's session/terminal (no SIGHUP, no inherited pipes).
start_s_server() { # port, then protocol/cipher options
  local port=$1
  shift
  local log=$STATE/logs/s_server-$port.log
  : >"$log"
  clean_exec setsid openssl s_server -accept "$TB_HOST:$port" -cert "$CERT" -key "$KEY" \
    -quiet -no_dhe "$@" </dev/null >>"$log" 2>&1 &
  local pid=$!
  echo "s_server-$port $pid" >>"$STATE/pids.tmp"
}
# DES-CBC3-SHA is not available in Debian 12's OpenSSL 3.0 (3DES is compiled out with the
# weak-ssl-ciphers), so static-RSA (kRSA) AES-CBC-SHA1 suites only.
start_s_server 24466 -tls1 -cipher 'AES128-SHA:AES256-SHA:@SECLEVEL=0'
start_s_server 24467 -tls1_3
# An SNI virtual host: for any other name OpenSSL sends a warning-level unrecognized_name alert
# before its ServerHello (TLS 1.2 and older) and then completes the handshake.
start_s_server 24468 -min_protocol TLSv1 -cipher 'DEFAULT:@SECLEVEL=0' \
  -servername vhost.test.local -cert2 "$CERT" -key2 "$KEY"

# ---------------------------------------------------------------- dnsmasq (the zone test.local)
: >"$STATE/logs/dnsmasq.log"
(clean_exec /usr/sbin/dnsmasq --conf-file="$HERE/dnsmasq.conf" --pid-file="$STATE/run/dnsmasq.pid" \
  --log-facility="$STATE/logs/dnsmasq.log" --user="$(id -un)" --group="$(id -gn)" --keep-in-foreground \
  </dev/null >>"$STATE/logs/dnsmasq.log" 2>&1) &
echo "dnsmasq $!" >>"$STATE/pids.tmp"

mv "$STATE/pids.tmp" "$STATE/pids"

# ---------------------------------------------------------------- wait for ports
deadline=$((SECONDS + START_TIMEOUT))
for l in "${TB_LISTENERS[@]}"; do
  IFS='|' read -r port _kind server _rest <<<"$l"
  until tb_port_listening "$port"; do
    if ((SECONDS >= deadline)); then
      log=$(tb_server_log "$STATE" "$server")
      echo "----- last lines of $log -----" >&2
      tail -n 30 "$log" >&2 || true
      tb_die "port $port ($server) did not come up within ${START_TIMEOUT}s; see $log"
    fi
    # a died s_server will never come up
    if [[ $server == s_server-* ]]; then
      pid=$(awk -v s="$server" '$1 == s {print $2}' "$STATE/pids")
      if ! tb_pid_alive "$pid"; then
        cat "$(tb_server_log "$STATE" "$server")" >&2 || true
        tb_die "port $port ($server) exited during start-up; see $(tb_server_log "$STATE" "$server")"
      fi
    fi
    sleep 0.1
  done
done
for z in "${TB_ZONE_SOCKETS[@]}"; do
  until tb_socket_listening "$z"; do
    ((SECONDS < deadline)) || tb_die "$z did not come up within ${START_TIMEOUT}s; see $STATE/logs/postfix.log, $STATE/logs/dnsmasq.log"
    sleep 0.1
  done
done
tb_log "all ${#TB_PORTS[@]} listeners up on $TB_HOST (state $STATE, CA $STATE/ca.pem)"
