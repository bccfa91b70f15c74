#!/usr/bin/env bash
# Prove the testbed's expectations with `openssl s_client`.  Usage: verify.sh STATE_DIR
# For every listener, tries TLS 1.0, 1.1, 1.2 and 1.3 one at a time and prints
# port -> accepted versions; exits non-zero if any set differs from lib.sh's expectation,
# if an accepted handshake's certificate does not verify against STATE_DIR/ca.pem for
# mail.test.local, or if the no-STARTTLS listener does not look as expected.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

[[ $# -eq 1 && -n "$1" ]] || { echo "usage: $0 STATE_DIR" >&2; exit 2; }
STATE=$(tb_abs "$1")
CA=$STATE/ca.pem
[[ -f "$CA" ]] || tb_die "$CA not found: run start.sh $1 first"
T=${TESTBED_PROBE_TIMEOUT:-5}   # seconds per handshake attempt

VERSIONS=(tls1 tls1_1 tls1_2 tls1_3)
# s_client flag -> name as OpenSSL prints it in "Protocol  : ..."
declare -A VNAME=([tls1]=TLSv1 [tls1_1]=TLSv1.1 [tls1_2]=TLSv1.2 [tls1_3]=TLSv1.3)

failures=0
fail() { echo "  FAIL: $*"; failures=$((failures + 1)); }

# probe PORT STARTTLS_MODE VERSION_FLAG -> prints "VERSION CIPHER VERIFY" on success, nothing otherwise.
# -brief prints the negotiated protocol right after the handshake (the full output only shows
# "Protocol :" once a TLS 1.3 session ticket arrived, which servers closing early never send).
probe() {
  local port=$1 mode=$2 v=$3 out proto cipher verify
  local args=(-brief -connect "$TB_HOST:$port" -servername mail.test.local "-$v"
    -cipher 'ALL:@SECLEVEL=0' -CAfile "$CA" -verify_hostname mail.test.local)
  [[ $mode != - ]] && args+=(-starttls "$mode")
  out=$(timeout "$T" openssl s_client "${args[@]}" </dev/null 2>&1) || true
  proto=$(sed -n 's/^Protocol version: *//p' <<<"$out" | head -n1)
  cipher=$(sed -n 's/^Ciphersuite: *//p' <<<"$out" | head -n1)
  if grep -q '^Verification: OK' <<<"$out"; then verify=ok; else
    verify=$(sed -n 's/^Verification error: *//p' <<<"$out" | head -n1 | tr ' ' '_')
  fi
  if [[ -n $proto && -n $cipher ]]; then
    printf '%s %s %s\n' "$proto" "$cipher" "${verify:-none}"
  fi
}

# Plaintext EHLO on an SMTP port: prints the server's reply lines (greeting + EHLO response).
# The bash -c script is single-quoted on purpose: host/port are passed as $0/$1.
# shellcheck disable=SC2016
smtp_ehlo() {
  local port=$1
  timeout "$T" bash -c '
    exec 3<>"/dev/tcp/$0/$1"
    IFS= read -r -t 5 greet <&3 || exit 1
    printf "%s\n" "$greet"
    printf "EHLO verify.test.local\r\n" >&3
    while IFS= read -r -t 5 line <&3; do
      printf "%s\n" "$line"
      [[ $line == [0-9][0-9][0-9]" "* ]] && break
    done
    printf "QUIT\r\n" >&3
  ' "$TB_HOST" "$port" 2>/dev/null | tr -d '\r' || true
}

printf '%-6s %-9s %-15s %-31s %-31s %s\n' PORT KIND SERVER EXPECTED ACCEPTED RESULT
for l in "${TB_LISTENERS[@]}"; do
  IFS='|' read -r port kind server mode expected desc <<<"$l"
  accepted=()
  details=()
  for v in "${VERSIONS[@]}"; do
    r=$(probe "$port" "$mode" "$v")
    [[ -n $r ]] || continue
    read -r proto cipher verify <<<"$r"
    accepted+=("$proto")
    details+=("$proto:$cipher:verify=$verify")
    if [[ $proto != "${VNAME[$v]}" ]]; then
      fail "port $port: asked for ${VNAME[$v]} but negotiated $proto"
    fi
    if [[ $verify != ok ]]; then
      fail "port $port $proto: certificate did not verify against $CA for mail.test.local ($verify)"
    fi
  done
  got=${accepted[*]:-"-"}
  result=OK
  [[ $got == "$expected" ]] || result=MISMATCH
  printf '%-6s %-9s %-15s %-31s %-31s %s\n' "$port" "$kind" "$server" "$expected" "$got" "$result"
  [[ $result == OK ]] || fail "port $port ($desc): expected [$expected], got [$got]"
  if [[ ${TESTBED_VERBOSE:-0} == 1 && ${#details[@]} -gt 0 ]]; then
    printf '         %s\n' "${details[@]}"
  fi
  # The plaintext SMTP listeners must greet at once; 24027 must not offer STARTTLS.
  if [[ $kind == plain || ($kind == starttls && $mode == smtp) ]]; then
    reply=$(smtp_ehlo "$port")
    if [[ $reply != 220* ]]; then
      fail "port $port: no 220 greeting within ${T}s (got: ${reply:-nothing})"
    elif [[ $kind == plain ]] && grep -qi STARTTLS <<<"$reply"; then
      fail "port $port: STARTTLS is offered but must not be"
    elif [[ $kind == starttls ]] && ! grep -qi '^250[- ]STARTTLS' <<<"$reply"; then
      fail "port $port: STARTTLS not offered in EHLO response"
    fi
  fi
done

if ((failures)); then
  echo "verify: $failures problem(s)" >&2
  exit 1
fi
echo "verify: all ${#TB_LISTENERS[@]} listeners match their expected TLS versions"
