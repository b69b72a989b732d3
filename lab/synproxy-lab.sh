#!/usr/bin/env bash
# The synproxy lab (npm run lab:synproxy, as root): does the designer's synproxy
# template keep conntrack flat under a spoofed SYN flood, while a legitimate client
# still gets in?
#
# Two network namespaces joined by a veth pair (198.18.0.0/15, benchmarking space, no
# route out): a server with a TCP service on port 8888, and a client that floods it
# with SYNs from random source addresses (hping3 --rand-source: the replies go
# nowhere, which is the point) while a legitimate client connects.
# Run 1: a minimal ruleset that only engages conntrack (so entries are counted).
# Run 2: the designer's "synproxy-anonymous" template, applied with
#        nft-agent apply --sysctl --confirm 0.
# It prints a table and exits non-zero if synproxy does not keep conntrack flat, if a
# legitimate connection fails with synproxy, or if run 1 shows no growth (then the
# lab would prove nothing). The namespaces are removed at the end, whatever happens.
#
# The time in the last column is worth watching: on Linux 6.18 a connection through
# the template takes about 1 s, flood or not, because the server's first SYN-ACK is
# retransmitted (TcpExtTCPSynRetrans=1 in the server namespace); without the
# template's `timestamp` option it is instant. It is reported, not judged.
set -euo pipefail

LAB_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$LAB_DIR/.." && pwd)
AGENT=$ROOT/public/agent/nft-agent
TCP_HELPER=$LAB_DIR/synproxy_lab_tcp.py

PORT=8888
SERVER_IP=198.18.0.1
CLIENT_IP=198.18.0.2
SYN_COUNT=${SYN_COUNT:-20000}
# Bounded flood: a packet count and a time limit.
FLOOD_TIME_LIMIT=30

# Verdict thresholds (see the header).
MAX_SYNPROXY_ENTRIES=100    # and at most 1% of the SYNs sent
MIN_BASELINE_PERCENT=10     # run 1 must hold at least this share of the SYNs as entries
MIN_SYNS_SENT=1000          # fewer and the flood did not happen

SRV=synlab-srv-$$
CLI=synlab-cli-$$
TMP=
SERVER_PID=
FLOOD_PID=

log() { printf 'lab: %s\n' "$*" >&2; }
fail() {
  printf 'lab: FAIL: %s\n' "$*" >&2
  exit 1
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  # Best effort from here on: every step must run even if an earlier one fails.
  set +e
  if [ -n "$FLOOD_PID" ]; then kill "$FLOOD_PID" 2>/dev/null; fi
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; fi
  wait 2>/dev/null
  ip netns del "$SRV" 2>/dev/null || true
  ip netns del "$CLI" 2>/dev/null || true
  [ -n "$TMP" ] && rm -rf "$TMP"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

preflight() {
  [ "$(id -u)" = 0 ] || fail "run as root (it creates network namespaces)"
  local tool
  for tool in ip nft hping3 python3 timeout unshare; do
    command -v "$tool" >/dev/null || fail "$tool is required"
  done
  [ -x "$AGENT" ] || fail "$AGENT is missing"
}

# The ruleset under test comes from the designer itself; no built-in copy to fall
# back on, so the lab tests what the product ships.
fetch_template() {
  log "ruleset: npm run --silent cli -- template synproxy-anonymous"
  if ! (cd "$ROOT" && npm run --silent cli -- template synproxy-anonymous) >"$TMP/synproxy.nft" 2>"$TMP/cli.err"; then
    cat "$TMP/cli.err" >&2
    fail "the designer CLI could not print the synproxy-anonymous template"
  fi
  grep -q 'synproxy' "$TMP/synproxy.nft" || fail "the synproxy-anonymous template contains no synproxy statement"
  grep -q "dport $PORT" "$TMP/synproxy.nft" || fail "the synproxy-anonymous template does not protect port $PORT"
}

# Run 1's ruleset: accepts everything, but uses ct state, so conntrack tracks every
# packet in the server namespace (it is enabled per namespace only when a ruleset
# needs it) and nf_conntrack_count shows what the flood costs.
write_baseline() {
  cat >"$TMP/baseline.nft" <<'EOF'
table inet lab_conntrack {
	chain input {
		type filter hook input priority filter; policy accept;
		ct state established,related accept
	}
}
EOF
}

make_namespaces() {
  ip netns add "$SRV"
  ip netns add "$CLI"
  ip -n "$SRV" link add veth0 type veth peer name veth0 netns "$CLI"
  ip -n "$SRV" addr add "$SERVER_IP/24" dev veth0
  ip -n "$CLI" addr add "$CLIENT_IP/24" dev veth0
  ip -n "$SRV" link set lo up
  ip -n "$CLI" link set lo up
  ip -n "$SRV" link set veth0 up
  ip -n "$CLI" link set veth0 up
}

remove_namespaces() {
  ip netns del "$SRV" 2>/dev/null || true
  ip netns del "$CLI" 2>/dev/null || true
}

start_server() {
  ip netns exec "$SRV" python3 "$TCP_HELPER" serve "$SERVER_IP" "$PORT" >"$TMP/server.out" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 50); do
    grep -q listening "$TMP/server.out" 2>/dev/null && return 0
    sleep 0.1
  done
  cat "$TMP/server.out" >&2
  fail "the TCP service did not start"
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

probe() { # one legitimate connection from the client namespace; prints its duration
  ip netns exec "$CLI" python3 "$TCP_HELPER" probe "$SERVER_IP" "$PORT" 3
}

conntrack_count() {
  ip netns exec "$SRV" cat /proc/sys/net/netfilter/nf_conntrack_count
}

# run_case LABEL RULESET [--sysctl]: one full run in fresh namespaces. Sets
# R_SENT, R_ENTRIES, R_DURING ("ok/total"), R_AFTER (yes/no), R_AFTER_TIME (s).
run_case() {
  local label=$1 ruleset=$2
  shift 2
  log "--- $label"
  make_namespaces
  start_server
  # Through the agent, as a user would: check, backup, atomic load, no timer.
  if ! ip netns exec "$SRV" sh "$AGENT" apply "$ruleset" --confirm 0 "$@" --state-dir "$TMP/state-$label" >&2; then
    fail "$label: nft-agent apply failed"
  fi
  probe >/dev/null || fail "$label: the service is unreachable before the flood (setup problem)"
  log "$label: conntrack entries before the flood: $(conntrack_count)"

  ip netns exec "$CLI" timeout "$FLOOD_TIME_LIMIT" \
    hping3 -S --rand-source -c "$SYN_COUNT" -i u20 -p "$PORT" "$SERVER_IP" >"$TMP/flood.out" 2>&1 &
  FLOOD_PID=$!
  # Legitimate clients while the flood runs (at least one attempt).
  R_DURING=$(ip netns exec "$CLI" python3 "$TCP_HELPER" probe-while "$FLOOD_PID" "$SERVER_IP" "$PORT" 3)
  wait "$FLOOD_PID" || true # hping3 exits 1 when nothing answers (spoofed sources)
  FLOOD_PID=
  R_ENTRIES=$(conntrack_count)

  R_SENT=$(sed -n 's/^\([0-9][0-9]*\) packets transmitted.*/\1/p' "$TMP/flood.out")
  if [ -z "$R_SENT" ]; then
    cat "$TMP/flood.out" >&2
    fail "$label: hping3 did not report how many SYNs it sent (killed by the $FLOOD_TIME_LIMIT s limit?)"
  fi
  R_DURING=${R_DURING/ //}
  local took
  if took=$(probe); then R_AFTER=yes; else R_AFTER=no; fi
  R_AFTER_TIME=$took
  log "$label: $R_SENT SYNs sent, $R_ENTRIES conntrack entries after, legit during $R_DURING, after $R_AFTER ($took s)"
  if [ -n "${1:-}" ]; then
    # The ruleset really was the synproxy one, and stayed live.
    ip netns exec "$SRV" nft list ruleset | grep -q synproxy || fail "$label: no synproxy rule is live"
  fi
  stop_server
  remove_namespaces
}

main() {
  preflight
  # under /run, not the sticky /tmp: the agent refuses a state directory any of whose
  # parents others can write (they could swap it and plant the backup a rollback loads)
  TMP=$(mktemp -d -p /run nft-lab.XXXXXX)
  chmod 700 "$TMP"
  fetch_template
  write_baseline
  local started=$SECONDS

  run_case no-synproxy "$TMP/baseline.nft"
  local base_sent=$R_SENT base_entries=$R_ENTRIES base_during=$R_DURING base_after=$R_AFTER base_time=$R_AFTER_TIME

  run_case synproxy "$TMP/synproxy.nft" --sysctl
  local syn_sent=$R_SENT syn_entries=$R_ENTRIES syn_during=$R_DURING syn_after=$R_AFTER syn_time=$R_AFTER_TIME

  local row='%-12s  %9s  %21s  %18s  %17s\n'
  # shellcheck disable=SC2059 # the format is ours
  {
    printf "\n$row" run 'SYNs sent' 'conntrack after flood' 'legit during flood' 'legit after flood'
    printf "$row" no-synproxy "$base_sent" "$base_entries" "$base_during ok" "$base_after (${base_time} s)"
    printf "$row" synproxy "$syn_sent" "$syn_entries" "$syn_during ok" "$syn_after (${syn_time} s)"
  }
  printf '(%d s)\n\n' "$((SECONDS - started))"

  local problems=0
  complain() {
    printf 'lab: FAIL: %s\n' "$*" >&2
    problems=$((problems + 1))
  }
  if ((base_sent < MIN_SYNS_SENT || syn_sent < MIN_SYNS_SENT)); then
    complain "fewer than $MIN_SYNS_SENT SYNs were sent: the flood did not happen"
  fi
  if ((base_entries * 100 < base_sent * MIN_BASELINE_PERCENT)); then
    complain "without synproxy conntrack held only $base_entries entries for $base_sent SYNs: no growth, so the lab proves nothing"
  fi
  if ((syn_entries > MAX_SYNPROXY_ENTRIES || syn_entries * 100 > syn_sent)); then
    complain "with synproxy conntrack held $syn_entries entries for $syn_sent SYNs (limit: $MAX_SYNPROXY_ENTRIES and 1%)"
  fi
  local syn_ok=${syn_during%/*} syn_total=${syn_during#*/}
  if ((syn_ok == 0 || syn_ok != syn_total)); then
    complain "with synproxy only $syn_during legitimate connections succeeded during the flood"
  fi
  if [ "$syn_after" != yes ]; then
    complain "with synproxy the legitimate connection after the flood failed"
  fi
  ((problems == 0)) || exit 1
  log "PASS: synproxy kept conntrack flat ($syn_entries entries vs $base_entries without it) and let legitimate clients in"
}

main "$@"
