# shellcheck shell=bash
# Shared definitions for the loopback TLS testbed scripts (sourced, not executed).

# Only ever bind / connect to this address.
TB_HOST=127.0.0.1

# The listeners, from listeners.txt (the one list; its header says what each field is). Here
# each entry is port|kind|server|starttls-mode|versions|description; TB_TARGETS holds the
# scheme://host:port of each, in the same order.
TB_LISTENERS=()
TB_TARGETS=()
TB_PORTS=()
while IFS= read -r _l; do
  [[ -z $_l || $_l == \#* ]] && continue
  TB_LISTENERS+=("${_l%|*}")
  TB_PORTS+=("${_l%%|*}")
  TB_TARGETS+=("${_l##*|}://$TB_HOST:${_l%%|*}")
done <"$(dirname "${BASH_SOURCE[0]}")/listeners.txt"
unset _l

# Sockets of the DNS zone (dnsmasq.conf) that are not on 127.0.0.1 or not TCP: the address
# listeners behind pool.test.local and the MX hosts, and the DNS server itself.
TB_ZONE_SOCKETS=("tcp 127.0.0.2:24030" "tcp 127.0.0.3:24030" "tcp [::1]:24030" "udp 127.0.0.1:24053")
TB_DNS_SERVER=127.0.0.1:24053
# Where the integration tests start the test receiver that the testbed Postfix's test senders
# (transports smtp-legacy, smtp-modern, smtp-plain) relay to. Not a testbed listener.
TB_RECEIVER_PORT=24050

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

# True when something listens on "$1" = "tcp|udp ADDRESS:PORT" (ss's notation, [::1]:PORT).
tb_socket_listening() {
  local proto=${1%% *} addr=${1#* }
  ss -Hln"${proto:0:1}" "sport = :${addr##*:}" 2>/dev/null | awk -v a="$addr" '$4 == a {f=1} END {exit !f}'
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
