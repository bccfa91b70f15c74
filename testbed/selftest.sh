#!/usr/bin/env bash
# Robustness self-test of a running testbed.  Usage: selftest.sh STATE_DIR [ROUNDS]
#  1. each openssl s_server listener survives ROUNDS (default 50) consecutive connections,
#     a mix of full handshakes, bare TCP connect+close, a truncated ClientHello followed by a
#     hang-up, and a refused protocol version, and still completes a handshake afterwards;
#  2. Postfix and Dovecot answer a burst of rapid connections from 127.0.0.1 without
#     throttling: every connection gets its greeting, no 421/4xx, and no anvil limit messages.
# All traffic goes to 127.0.0.1 only; every loop is bounded.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

[[ $# -ge 1 && -n "$1" ]] || { echo "usage: $0 STATE_DIR [ROUNDS]" >&2; exit 2; }
STATE=$(tb_abs "$1")
ROUNDS=${2:-50}
BURST=${TESTBED_BURST:-200}
CA=$STATE/ca.pem
[[ -f "$STATE/pids" ]] || tb_die "testbed not running for $STATE"

failures=0
fail() { echo "  FAIL: $*"; failures=$((failures + 1)); }

handshake() { # port version-flag -> exit 0 if the handshake completed with that version
  timeout 5 openssl s_client -brief -connect "$TB_HOST:$1" "-$2" -cipher 'ALL:@SECLEVEL=0' \
    -CAfile "$CA" </dev/null 2>&1 | grep -q '^Protocol version:'
}
# The bash -c scripts below are single-quoted on purpose: host/port are passed as $0/$1.
# shellcheck disable=SC2016
tcp_close() { # open and immediately close a TCP connection
  timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1"; exec 3>&-' "$TB_HOST" "$1" 2>/dev/null || true
}
# shellcheck disable=SC2016
truncated_hello() { # TLS record header + start of a ClientHello, then hang up mid-handshake
  timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1"; printf "\x16\x03\x01\x00\xc8\x01\x00\x00\xc4\x03\x03" >&3; sleep 0.05; exec 3>&-' \
    "$TB_HOST" "$1" 2>/dev/null || true
}

# ---- 1. s_server listeners
for l in "${TB_LISTENERS[@]}"; do
  IFS='|' read -r port _kind server _mode expected _desc <<<"$l"
  [[ $server == s_server-* ]] || continue
  good=tls1; bad=tls1_2
  [[ $expected == TLSv1.3 ]] && { good=tls1_3; bad=tls1; }
  [[ $expected == *TLSv1.2* ]] && bad="" # accepts every version: nothing to refuse
  pid=$(awk -v s="$server" '$1 == s {print $2}' "$STATE/pids")
  t0=$SECONDS ok=0
  for ((i = 0; i < ROUNDS; i++)); do
    case $((i % 4)) in
      0) handshake "$port" "$good" && ok=$((ok + 1)) ;;
      1) tcp_close "$port" ;;
      2) truncated_hello "$port" ;;
      3) [[ -z $bad ]] || ! handshake "$port" "$bad" || fail "port $port accepted -$bad" ;;
    esac
  done
  tb_pid_alive "$pid" || fail "$server (pid $pid) died during $ROUNDS connections"
  handshake "$port" "$good" || fail "$server no longer completes a -$good handshake"
  want=$(((ROUNDS + 3) / 4))
  ((ok == want)) || fail "$server: only $ok of $want full handshakes succeeded"
  echo "s_server $port: $ROUNDS connections ($ok full handshakes) in $((SECONDS - t0))s, still serving"
done

# ---- 2. bursts against Postfix / Dovecot: BURST greetings per port, 10 in parallel
# shellcheck disable=SC2016
burst() { # port expected-greeting-prefix
  local port=$1 prefix=$2 start end got
  start=$(date +%s.%N)
  got=$(seq "$BURST" | xargs -P 10 -I{} timeout 5 bash -c '
      exec 3<>"/dev/tcp/$0/$1" || exit 0
      IFS= read -r -t 4 line <&3 && printf "%s\n" "${line%$'"'"'\r'"'"'}"' "$TB_HOST" "$port" |
    grep -c "^$prefix" || true)
  end=$(date +%s.%N)
  printf 'burst %s: %s/%s greetings in %.2fs\n' "$port" "$got" "$BURST" "$(echo "$end - $start" | bc)"
  ((got == BURST)) || fail "port $port: only $got of $BURST connections got a '$prefix' greeting"
}
command -v bc >/dev/null 2>&1 || bc() { awk '{print $1 - $3}'; }
burst 24026 "220 mail.test.local ESMTP"
burst 24027 "220 mail.test.local ESMTP"
burst 24143 "\* OK"
burst 24110 "+OK"

if grep -qE 'too many connections|Connection rate limit exceeded|Connection concurrency limit|hangup after|too many errors' \
  "$STATE/logs/postfix.log"; then
  grep -E 'too many connections|rate limit|concurrency limit|too many errors' "$STATE/logs/postfix.log" | tail -n 5
  fail "postfix throttled loopback clients"
fi

if ((failures)); then
  echo "selftest: $failures problem(s)" >&2
  exit 1
fi
echo "selftest: ok"
