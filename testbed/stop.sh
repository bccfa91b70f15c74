#!/usr/bin/env bash
# Stop everything start.sh started for STATE_DIR.  Usage: stop.sh STATE_DIR
# Exits 0 when nothing of this testbed is left listening (also when it was never running).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

[[ $# -eq 1 && -n "$1" ]] || { echo "usage: $0 STATE_DIR" >&2; exit 2; }
STATE=$(tb_abs "$1")
tb_lock "$0" "$@"
STOP_TIMEOUT=${TESTBED_STOP_TIMEOUT:-15}

if [[ ! -d "$STATE" ]]; then
  tb_log "no state dir $STATE: nothing to stop"
  exit 0
fi

# cmdline of a pid with NULs turned into spaces ("" if gone)
cmdline() { tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" || true; }

wait_gone() { # pid...
  local deadline=$((SECONDS + STOP_TIMEOUT)) p alive
  while :; do
    alive=()
    for p in "$@"; do tb_pid_alive "$p" && alive+=("$p"); done
    ((${#alive[@]} == 0)) && return 0
    ((SECONDS >= deadline)) && { printf '%s\n' "${alive[@]}"; return 1; }
    sleep 0.1
  done
}

pids_to_wait=()

# ---- postfix: TERM to the master (what `postfix stop` does, minus its 1 s polling); the
# master terminates all its children.  Identified by its pid file under STATE.
pf_pid=$(tb_read_pid "$STATE/postfix/queue/pid/master.pid")
if tb_pid_alive "$pf_pid" && [[ $(cmdline "$pf_pid") == *master* ]]; then
  kill -TERM "$pf_pid" 2>/dev/null || true
  pids_to_wait+=("$pf_pid")
fi

# ---- dovecot instances: TERM to each instance's master (what `dovecot -c CONF stop` does;
# that command then polls with kill -0, which in containers with a lazily reaping PID 1 also
# waits for the zombie to be reaped, ~3 s each).
for conf in "$STATE"/dovecot-*.conf; do
  [[ -f "$conf" ]] || continue
  name=$(basename "$conf" .conf)
  dv_pid=$(tb_read_pid "$STATE/run/$name/master.pid")
  if tb_pid_alive "$dv_pid" && [[ $(cmdline "$dv_pid") == *dovecot* ]]; then
    kill -TERM "$dv_pid" 2>/dev/null || true
    pids_to_wait+=("$dv_pid")
  fi
done

# ---- s_server: pids from the pids file, double-checked by command line (pid reuse), plus any
# s_server still using this STATE's certificate (e.g. pids file lost).
ss_pids=()
if [[ -f "$STATE/pids" ]]; then
  while read -r name pid _; do
    [[ $name == s_server-* ]] || continue
    ss_pids+=("$pid")
  done <"$STATE/pids"
fi
for l in "${TB_LISTENERS[@]}"; do
  IFS='|' read -r port _kind server _rest <<<"$l"
  [[ $server == s_server-* ]] || continue
  for pid in $(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2); do
    [[ $(cmdline "$pid") == *s_server*"$STATE/tls/"* ]] && ss_pids+=("$pid")
  done
done
if ((${#ss_pids[@]})); then
  for pid in $(printf '%s\n' "${ss_pids[@]}" | sort -u); do
    if tb_pid_alive "$pid" && [[ $(cmdline "$pid") == *s_server*"$STATE/tls/"* ]]; then
      kill -TERM "$pid" 2>/dev/null || true
      pids_to_wait+=("$pid")
    fi
  done
fi

# ---- dnsmasq: its pid from the pids file, double-checked by command line.
dm_pid=$(awk '$1 == "dnsmasq" {print $2}' "$STATE/pids" 2>/dev/null || true)
if tb_pid_alive "$dm_pid" && [[ $(cmdline "$dm_pid") == *dnsmasq*"$STATE/run/dnsmasq.pid"* ]]; then
  kill -TERM "$dm_pid" 2>/dev/null || true
  pids_to_wait+=("$dm_pid")
fi

if ((${#pids_to_wait[@]})); then
  if ! left=$(wait_gone "${pids_to_wait[@]}"); then
    mapfile -t left_pids <<<"$left"
    tb_log "still running after ${STOP_TIMEOUT}s, sending KILL: ${left_pids[*]}"
    for pid in "${left_pids[@]}"; do
      # postfix master and dovecot lead their own process groups: take the children too
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    done
    wait_gone "${left_pids[@]}" >/dev/null || true
  fi
fi

# ---- wait until the ports are free (children such as login processes exit after the master)
deadline=$((SECONDS + STOP_TIMEOUT))
while :; do
  busy=()
  for p in "${TB_PORTS[@]}"; do tb_port_in_use "$p" && busy+=("$p"); done
  for z in "${TB_ZONE_SOCKETS[@]}"; do tb_socket_listening "$z" && busy+=("${z##*:}"); done
  ((${#busy[@]} == 0)) && break
  if ((SECONDS >= deadline)); then
    ss -ltnp 2>/dev/null | grep -E ":($(IFS='|'; echo "${busy[*]}"))\b" >&2 || true
    tb_die "port(s) ${busy[*]} still in use after ${STOP_TIMEOUT}s (not started from $STATE?)"
  fi
  sleep 0.1
done

rm -f "$STATE/pids" "$STATE/pids.tmp"
tb_log "stopped (state $STATE)"
