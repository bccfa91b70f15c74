# shellcheck shell=bash
# Shared definitions for the loopback TLS testbed scripts (sourced, not executed).

# Only ever bind / connect to this address.
TB_HOST=127.0.0.1

# port|kind|server|starttls-mode-for-s_client|expected accepted versions (space separated, "-" = none)|description
# kind: starttls = plaintext then STARTTLS/STLS, implicit = TLS from the first byte, plain = no TLS at all
TB_LISTENERS=(
  "24025|starttls|postfix|smtp|TLSv1.2 TLSv1.3|Postfix SMTP, STARTTLS, floor TLS 1.2 (modern MTA)"
  "24026|starttls|postfix|smtp|TLSv1 TLSv1.1 TLSv1.2 TLSv1.3|Postfix SMTP, STARTTLS, legacy floor TLS 1.0"
  "24027|plain|postfix|smtp|-|Postfix SMTP, STARTTLS not offered at all"
  "24028|starttls|postfix|smtp|TLSv1 TLSv1.1|Postfix SMTP, STARTTLS, TLS 1.0/1.1 only (old Exchange)"
  "24465|implicit|postfix|-|TLSv1.2 TLSv1.3|Postfix SMTPS wrapper mode (like 465), floor TLS 1.2"
  "24143|starttls|dovecot-legacy|imap|TLSv1 TLSv1.1 TLSv1.2 TLSv1.3|Dovecot IMAP, STARTTLS, legacy floor TLS 1.0"
  "24993|implicit|dovecot-modern|-|TLSv1.2 TLSv1.3|Dovecot IMAPS implicit TLS, floor TLS 1.2"
  "24110|starttls|dovecot-modern|pop3|TLSv1.2 TLSv1.3|Dovecot POP3, STLS, floor TLS 1.2"
  "24995|implicit|dovecot-legacy|-|TLSv1 TLSv1.1 TLSv1.2 TLSv1.3|Dovecot POP3S implicit TLS, legacy floor TLS 1.0"
  "24466|implicit|s_server-24466|-|TLSv1|openssl s_server, TLS 1.0 only, static-RSA AES-CBC suites only"
  "24467|implicit|s_server-24467|-|TLSv1.3|openssl s_server, TLS 1.3 only"
)

TB_PORTS=()
for _l in "${TB_LISTENERS[@]}"; do TB_PORTS+=("${_l%%|*}"); done
unset _l

tb_die() { echo "testbed: ERROR: $*" >&2; exit 1; }
tb_log() { echo "testbed: $*" >&2; }

# Absolute path of the state dir (need not exist yet).
tb_abs() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$PWD" "$1" ;;
  esac
}

# True when something is LISTENing on TB_HOST:$1 (TCP). Does not connect, so it neither
# pollutes server logs nor occupies the single-threaded s_server listeners.
tb_port_listening() {
  ss -Hltn "sport = :$1" 2>/dev/null | awk -v a="$TB_HOST:$1" '$4 == a || $4 == "0.0.0.0:'"$1"'" || $4 == "*:'"$1"'" {f=1} END {exit !f}'
}

# Any listener on port $1 at all (any address), for "port free" checks.
tb_port_in_use() {
  [[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]]
}

# True when pid $1 exists and is not a zombie (exited children of PID 1 can stay zombies
# for a while in containers whose init reaps lazily).
tb_pid_alive() {
  [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null || return 1
  ! grep -qs '^State:[[:space:]]*Z' "/proc/$1/status"
}

# Read a pid file (first token), empty if missing.
tb_read_pid() {
  [[ -f "$1" ]] || return 0
  local p
  read -r p _ <"$1" || true
  printf '%s\n' "${p:-}"
}

# The server log for a given server name (used in error messages).
tb_server_log() {
  local state=$1 server=$2
  case "$server" in
    postfix) echo "$state/logs/postfix.log" ;;
    dovecot-*) echo "$state/logs/$server.log" ;;
    s_server-*) echo "$state/logs/$server.log" ;;
  esac
}

# Serialize start/stop of the testbed (the ports are fixed, so across all state dirs): re-exec
# the calling script under flock(1).  -o closes the lock fd in the script, so daemons started
# by it never inherit (and keep holding) the lock.  Nested calls (start.sh -> stop.sh) skip it.
TB_LOCK_FILE=${TESTBED_LOCK_FILE:-${TMPDIR:-/tmp}/mail-tls-operator-testbed.lock}
tb_lock() { # "$0" "$@"
  if [[ ${TB_LOCKED:-} != 1 ]] && command -v flock >/dev/null 2>&1; then
    export TB_LOCKED=1
    exec flock -o -w "${TESTBED_LOCK_TIMEOUT:-120}" "$TB_LOCK_FILE" "$@"
  fi
}
