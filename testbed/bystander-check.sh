#!/usr/bin/env bash
# Proves that the testbed scripts leave alone what they did not start. A "bystander" Postfix (an
# instance of this script's own, standing for the machine's: own config directory, 127.0.0.1 port
# 24098) runs while install.sh, start.sh and stop.sh do what the README's commands do; afterwards it
# must still run with the same pid and configuration, and every systemd unit of the mail and
# monitoring packages must be as enabled and as active as before. Stops only its bystander.
# Usage: bystander-check.sh   (as root; called by scripts/test.sh)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib.sh"
[[ $(id -u) -eq 0 ]] || tb_die "must run as root"

WORK=$(mktemp -d /tmp/mailtls-bystander.XXXXXX)
chmod 755 "$WORK"
STATE=$WORK/testbed
PFC=$WORK/postfix/etc
mkdir -p "$PFC" "$WORK/postfix/queue" "$WORK/postfix/data"
chown postfix "$WORK/postfix/data"

cat >"$PFC/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $WORK/postfix/queue
data_directory = $WORK/postfix/data
maillog_file = $WORK/postfix.log
maillog_file_prefixes = $WORK
syslog_name = postfix-bystander
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination =
smtpd_banner = bystander ESMTP
CONF
cat >"$PFC/master.cf" <<CONF
127.0.0.1:24098 inet n - n - 10 smtpd
pickup     unix  n       -       n       60      1       pickup
cleanup    unix  n       -       n       -       0       cleanup
qmgr       unix  n       -       n       300     1       qmgr
rewrite    unix  -       -       n       -       -       trivial-rewrite
bounce     unix  -       -       n       -       0       bounce
defer      unix  -       -       n       -       0       bounce
trace      unix  -       -       n       -       0       bounce
flush      unix  n       -       n       1000?   0       flush
showq      unix  n       -       n       -       -       showq
error      unix  -       -       n       -       -       error
anvil      unix  -       -       n       -       1       anvil
postlog    unix-dgram n  -       n       -       1       postlogd
CONF
touch -d "@$(($(date +%s) - 10))" "$PFC/main.cf" "$PFC/master.cf"

units() { # the state of every unit the packages of install.sh bring, when systemd runs
  if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
    local u
    for u in postfix dovecot prometheus prometheus-alertmanager; do
      echo "$u $(systemctl is-enabled "$u" 2>/dev/null || true) $(systemctl is-active "$u" 2>/dev/null || true)"
    done
  fi
}

cleanup() {
  /usr/sbin/postfix -c "$PFC" stop >/dev/null 2>&1 || true
  bash "$HERE/stop.sh" "$STATE" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

/usr/sbin/postfix -c "$PFC" start >/dev/null 2>&1 || tb_die "the bystander Postfix did not start"
pid_before=$(tb_read_pid "$WORK/postfix/queue/pid/master.pid")
conf_before=$(cat "$PFC/main.cf" "$PFC/master.cf" | sha256sum)
units_before=$(units)

bash "$HERE/install.sh" >/dev/null
bash "$HERE/start.sh" "$STATE" 2>/dev/null
bash "$HERE/stop.sh" "$STATE" 2>/dev/null

pid_after=$(tb_read_pid "$WORK/postfix/queue/pid/master.pid")
tb_pid_alive "$pid_before" || tb_die "the bystander Postfix (pid $pid_before) was stopped"
[[ $pid_after == "$pid_before" ]] || tb_die "the bystander Postfix was restarted ($pid_before -> $pid_after)"
tb_port_listening 24098 || tb_die "the bystander Postfix no longer listens on 24098"
[[ $(cat "$PFC/main.cf" "$PFC/master.cf" | sha256sum) == "$conf_before" ]] ||
  tb_die "the bystander Postfix's configuration was changed"
[[ $(units) == "$units_before" ]] || tb_die "systemd units changed: before [$units_before] after [$(units)]"
tb_log "bystander check: a Postfix the scripts did not start still runs, unchanged (pid $pid_before)"
