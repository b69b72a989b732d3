#!/usr/bin/env bash
# The synproxy lab (npm run lab:synproxy, as root): does the designer's synproxy
# setup keep conntrack flat under a spoofed SYN flood, while a legitimate client
# still gets in? For both placements of the nftables wiki's Synproxy page:
#
#   input    a service on the host that runs synproxy: two network namespaces,
#            client — host (198.18.0.2 → 198.18.0.1), the ruleset in the host;
#   forward  a backend behind the host: three namespaces, client — firewall — server
#            (198.18.0.2 → 198.18.0.1 | 198.18.1.1 → 198.18.1.2), ip_forward on in
#            the firewall, the ruleset there (synproxy in a forward chain, notrack in
#            prerouting at priority raw).
#
# All addresses are in 198.18.0.0/15 (benchmarking space) and no namespace has a
# route out. The client floods the service on port 8888 with SYNs from random source
# addresses (hping3 --rand-source, bounded by a count and a time limit: the replies
# go nowhere, which is the point) while a legitimate client connects again and again.
# Runs, each in fresh namespaces:
#   input-baseline      a minimal ruleset that only engages conntrack (so entries count)
#   input-synproxy      the designer's "synproxy-anonymous" template (the wiki's)
#   forward-baseline    the same minimal ruleset, in the firewall
#   forward-synproxy    the synproxy wizard's output for placement forward, with the
#                       mss and wscale the backend announced in forward-baseline's capture
#   *-synproxy-nots     the wizard's output without the timestamp option, no flood:
#                       only the latency, to compare with the runs above
# Every ruleset is applied in the firewall namespace with nft-agent apply --confirm 0
# (--sysctl with synproxy). In each run the lab captures one clean legitimate connection
# with tcpdump in the firewall namespace (-i any: both sides in the forward placement),
# samples `nf_conntrack_count` there every SAMPLE_MS during the flood, times every
# legitimate connection, and reads the kernel's counters (nstat, /proc/net/stat/synproxy)
# in every namespace.
#
# Verdicts (lab/synproxy_lab_tcp.py judge()), for each placement: FAIL if synproxy does
# not keep conntrack flat (peak ≤ 100 entries and ≤ 1 % of the SYNs), if a legitimate
# connection through synproxy fails (before, during or after the flood, or in a
# latency-only run), if the baseline shows no growth (peak < 10 % of the SYNs: then the
# lab proves nothing), if fewer than 1000 SYNs went out, if conntrack was not sampled
# during a flood (fewer than 5 samples), or if the clean connection was not captured.
# It writes a report, JSON (schema: src/labreport/types.ts) and a standalone HTML page
# with charts (lab/report-html.ts, validating the JSON with the app's own parser), into
# $LAB_OUT (default lab/out/), prints a table and both paths, and exits non-zero if a
# verdict fails. The namespaces are removed at the end, whatever happens.
#
# The latency is worth watching: on Linux 6.18 a connection through synproxy with the
# `timestamp` option takes about 1 s, flood or not: the server refuses synproxy's
# handshake ACK for its timestamp echo (TcpExtTSEcrRejected) and waits for its 1 s
# SYN-ACK retransmission (TcpExtTCPSynRetrans); the -nots runs show it without the
# option. It is measured and shown next to the finding of src/knowledge/synproxyDelay.ts
# (the investigation's explanation), not judged.
set -euo pipefail

LAB_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$LAB_DIR/.." && pwd)
AGENT=$ROOT/public/agent/nft-agent
HELPER=$LAB_DIR/synproxy_lab_tcp.py
OUT=${LAB_OUT:-$LAB_DIR/out}

PORT=8888
SYN_COUNT=${SYN_COUNT:-20000}
# Bounded flood: a packet count, a pace and a time limit.
FLOOD_INTERVAL_US=${FLOOD_INTERVAL_US:-50}
FLOOD_TIME_LIMIT=20
SAMPLE_MS=100
# legitimate connections before the flood (the first one is captured) and after it
PROBES_BEFORE=2
PROBES_AFTER=2
# a latency-only run (no flood): this many connections
PROBES_LATENCY=5
PROBE_TIMEOUT=3

TAG=$$
TMP=
NAMESPACES=()
PIDS=()

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
  local pid ns
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  for ns in "${NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null; done
  [ -n "$TMP" ] && rm -rf "$TMP"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

preflight() {
  [ "$(id -u)" = 0 ] || fail "run as root (it creates network namespaces)"
  local tool
  for tool in ip nft hping3 tcpdump nstat python3 timeout unshare npx; do
    command -v "$tool" >/dev/null || fail "$tool is required"
  done
  [ -x "$AGENT" ] || fail "$AGENT is missing"
}

# background PIDs the cleanup kills if the lab stops early
track() { PIDS+=("$1"); }
untrack() {
  local keep=() p
  for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}
stop() { # PID [SIGNAL]
  kill "-${2:-TERM}" "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  untrack "$1"
}

# ------------------------------------------------------------------ rulesets

# The rulesets under test come from the designer itself (lab/ruleset.ts: its template
# catalog and its synproxy wizard); no built-in copy to fall back on, so the lab tests
# what the product ships. rulesets JOB...: writes the files, and SOURCE[FILE] says
# where each came from.
declare -A SOURCE
rulesets() {
  local out file src
  if ! out=$(cd "$ROOT" && npx tsx lab/ruleset.ts "$@" 2>"$TMP/ruleset.err"); then
    cat "$TMP/ruleset.err" >&2
    fail "the designer could not write the lab's rulesets ($*)"
  fi
  while IFS=$'\t' read -r file src; do SOURCE[$file]=$src; done <<<"$out"
}

check_synproxy_ruleset() { # FILE HOOK
  { grep -q "hook $2 " "$1" && grep -q 'synproxy' "$1"; } || fail "$1 has no synproxy rule on hook $2"
  grep -q "dport $PORT" "$1" || fail "$1 does not protect port $PORT"
}

# The baseline: accepts everything, but uses ct state, so conntrack tracks every
# packet in the firewall namespace (it is enabled per namespace only when a ruleset
# needs it) and nf_conntrack_count shows what the flood costs.
write_baseline() {
  cat >"$TMP/baseline.nft" <<'EOF'
table inet lab_conntrack {
	chain input {
		type filter hook input priority filter; policy accept;
		ct state established,related accept
	}

	chain forward {
		type filter hook forward priority filter; policy accept;
		ct state established,related accept
	}
}
EOF
}

# ------------------------------------------------------------------ topology

# link_to NS SIDE NET: a veth pair from NS_F (SIDE, NET.1/24) to NS (veth0, NET.2/24), both up
link_to() {
  local ns=$1 side=$2 net=$3
  ip -n "$NS_F" link add "$side" type veth peer name veth0 netns "$ns"
  ip -n "$NS_F" addr add "$net.1/24" dev "$side"
  ip -n "$ns" addr add "$net.2/24" dev veth0
  ip -n "$ns" link set lo up
  ip -n "$NS_F" link set "$side" up
  ip -n "$ns" link set veth0 up
}

# make_topology PLACEMENT ID: sets NS_C NS_F NS_S SERVER_IP LANES (lanes for the
# capture in NS_F, as {"names": [...], "map": {"IFACE DIR": [from, to]}})
make_topology() {
  local placement=$1 id=$2
  NS_C=synlab-$TAG-$id-c
  NS_F=synlab-$TAG-$id-f
  ip netns add "$NS_C"
  NAMESPACES+=("$NS_C")
  ip netns add "$NS_F"
  NAMESPACES+=("$NS_F")
  ip -n "$NS_F" link set lo up
  link_to "$NS_C" c-side 198.18.0
  # spoofed sources have no route back: loose or strict reverse path filtering would
  # drop the flood before it reaches conntrack
  # shellcheck disable=SC2016 # expanded by that sh, in the namespace
  ip netns exec "$NS_F" sh -c 'for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 >"$f"; done'
  if [ "$placement" = input ]; then
    NS_S=$NS_F
    SERVER_IP=198.18.0.1
    LANES='{"names": ["client 198.18.0.2", "host 198.18.0.1"], "map": {"c-side In": [0, 1], "c-side Out": [1, 0], "lo In": [1, 1]}}'
  else
    NS_S=synlab-$TAG-$id-s
    ip netns add "$NS_S"
    NAMESPACES+=("$NS_S")
    link_to "$NS_S" s-side 198.18.1
    # routes only between the two lab networks: nothing leaves the lab
    ip -n "$NS_C" route add 198.18.1.0/24 via 198.18.0.1
    ip -n "$NS_S" route add 198.18.0.0/24 via 198.18.1.1
    ip netns exec "$NS_F" sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward'
    SERVER_IP=198.18.1.2
    LANES='{"names": ["client 198.18.0.2", "firewall", "server 198.18.1.2"], "map": {"c-side In": [0, 1], "c-side Out": [1, 0], "s-side Out": [1, 2], "s-side In": [2, 1]}}'
  fi
}

remove_topology() {
  local ns keep=()
  for ns in "$NS_C" "$NS_F" "$NS_S"; do ip netns del "$ns" 2>/dev/null || true; done
  for ns in "${NAMESPACES[@]}"; do
    [ "$ns" = "$NS_C" ] || [ "$ns" = "$NS_F" ] || [ "$ns" = "$NS_S" ] || keep+=("$ns")
  done
  NAMESPACES=("${keep[@]}")
}

start_server() { # DIR
  ip netns exec "$NS_S" python3 "$HELPER" serve "$SERVER_IP" "$PORT" >"$1/server.out" 2>&1 &
  SERVER_PID=$!
  track "$SERVER_PID"
  { python3 "$HELPER" wait-lines "$1/server.out" 1 5 && grep -q listening "$1/server.out"; } || {
    cat "$1/server.out" >&2
    fail "the TCP service did not start"
  }
}

probe() { # DIR PHASE N: N legitimate connections from the client, appended to conns.jsonl
  ip netns exec "$NS_C" python3 "$HELPER" probe "$SERVER_IP" "$PORT" "$PROBE_TIMEOUT" "$2" "$3" >>"$1/conns.jsonl"
}

meta() { printf '%s=%s\n' "$2" "$3" >>"$1/meta"; } # DIR KEY VALUE

# One clean legitimate connection, as tcpdump sees it in the firewall namespace.
capture_one() { # DIR
  local dir=$1 filter="tcp port $PORT"
  ip netns exec "$NS_F" tcpdump -i any -nn -tt -S -l -U "$filter" >"$dir/capture.txt" 2>"$dir/tcpdump.err" &
  local pid=$!
  track "$pid"
  { python3 "$HELPER" wait-lines "$dir/tcpdump.err" 1 5 && grep -q 'listening on' "$dir/tcpdump.err"; } || {
    cat "$dir/tcpdump.err" >&2
    fail "tcpdump did not start"
  }
  local status=0
  probe "$dir" before 1 || status=$?
  # the whole connection, up to the last ACK after both FINs (or give up after 3 s)
  python3 "$HELPER" wait-capture "$dir/capture.txt" 3 || log "the capture holds no complete connection"
  stop "$pid" INT
  meta "$dir" capture_ns firewall
  meta "$dir" capture_filter "-i any $filter"
  meta "$dir" lanes "$LANES"
  return "$status"
}

counters() { # DIR: nstat and the synproxy statistics of each namespace
  local dir=$1 role ns
  for role in client firewall server; do
    case $role in client) ns=$NS_C ;; firewall) ns=$NS_F ;; server) ns=$NS_S ;; esac
    [ "$role" = server ] && [ "$NS_S" = "$NS_F" ] && continue # input: one namespace, counted once
    ip netns exec "$ns" nstat -asz >"$dir/nstat-$role" 2>/dev/null || true
    ip netns exec "$ns" cat /proc/net/stat/synproxy >"$dir/synproxy-$role" 2>/dev/null || true
  done
}

# run_case ID LABEL PLACEMENT RULESET SOURCE SYNPROXY TIMESTAMP FLOOD: one run in fresh
# namespaces, its raw data in $TMP/run-ID (lab/synproxy_lab_tcp.py report reads it).
run_case() {
  local id=$1 label=$2 placement=$3 ruleset=$4 source=$5 synproxy=$6 timestamp=$7 flood=$8
  local dir=$TMP/run-$id
  mkdir -p "$dir"
  log "--- $label"
  local run_started=$SECONDS
  make_topology "$placement" "$id"
  cp "$ruleset" "$dir/ruleset.nft"
  {
    printf 'id=%s\nlabel=%s\nplacement=%s\nsynproxy=%s\ntimestamp=%s\nflood=%s\n' "$id" "$label" "$placement" "$synproxy" "$timestamp" "$flood"
    printf 'ruleset_source=%s\nns_client=%s\nns_firewall=%s\nns_server=%s\n' "$source" "$NS_C" "$NS_F" "$NS_S"
  } >"$dir/meta"
  start_server "$dir"
  # Through the agent, as a user would: check, backup, atomic load, no timer.
  local sysctl=()
  [ "$synproxy" = 1 ] && sysctl=(--sysctl)
  if ! ip netns exec "$NS_F" sh "$AGENT" apply "$ruleset" --confirm 0 "${sysctl[@]}" --state-dir "$TMP/state-$id" >"$dir/agent.out" 2>&1; then
    cat "$dir/agent.out" >&2
    fail "$label: nft-agent apply failed"
  fi
  meta "$dir" conntrack_max "$(ip netns exec "$NS_F" cat /proc/sys/net/netfilter/nf_conntrack_max)"
  capture_one "$dir" || fail "$label: the service is unreachable before the flood (setup problem)"
  if [ "$flood" = 1 ]; then probe "$dir" before $((PROBES_BEFORE - 1)) || true; else probe "$dir" before $((PROBES_LATENCY - 1)) || true; fi

  if [ "$flood" = 1 ]; then
    ip netns exec "$NS_F" python3 "$HELPER" sample "$SAMPLE_MS" >"$dir/samples" &
    local sampler=$!
    track "$sampler"
    python3 "$HELPER" wait-lines "$dir/samples" 3 5 || fail "$label: the conntrack sampler did not start"
    local start end
    start=$(date +%s.%N)
    ip netns exec "$NS_C" timeout "$FLOOD_TIME_LIMIT" \
      hping3 -S --rand-source -c "$SYN_COUNT" -i "u$FLOOD_INTERVAL_US" -p "$PORT" "$SERVER_IP" >"$dir/flood.out" 2>&1 &
    local flood_pid=$!
    track "$flood_pid"
    # Legitimate clients while the flood runs (at least one attempt).
    ip netns exec "$NS_C" python3 "$HELPER" probe-while "$flood_pid" "$SERVER_IP" "$PORT" "$PROBE_TIMEOUT" >>"$dir/conns.jsonl"
    wait "$flood_pid" || true # hping3 exits 1 when nothing answers (spoofed sources)
    untrack "$flood_pid"
    end=$(date +%s.%N)
    # a second of samples after the flood: what it left behind
    python3 "$HELPER" wait-sample "$dir/samples" "$(python3 -c "print($end + 1.0)")" 5 || log "$label: the sampler fell behind"
    stop "$sampler"
    local sent
    sent=$(sed -n 's/^\([0-9][0-9]*\) packets transmitted.*/\1/p' "$dir/flood.out")
    if [ -z "$sent" ]; then
      cat "$dir/flood.out" >&2
      fail "$label: hping3 did not report how many SYNs it sent (killed by the $FLOOD_TIME_LIMIT s limit?)"
    fi
    meta "$dir" flood_start "$start"
    meta "$dir" flood_s "$(python3 -c "print(round($end - $start, 3))")"
    meta "$dir" syns_sent "$sent"
    probe "$dir" after "$PROBES_AFTER" || true
    log "$label: $sent SYNs sent, conntrack now $(ip netns exec "$NS_F" cat /proc/sys/net/netfilter/nf_conntrack_count)"
  fi
  counters "$dir"
  if [ "$synproxy" = 1 ]; then
    # The ruleset really was the synproxy one, and stayed live.
    # (into a file: with pipefail, grep -q closing the pipe early would fail nft)
    ip netns exec "$NS_F" nft list ruleset >"$dir/live.nft" || fail "$label: nft list ruleset failed"
    grep -q synproxy "$dir/live.nft" || fail "$label: no synproxy rule is live"
  fi
  stop "$SERVER_PID"
  remove_topology
  RUN_DIRS+=("$dir")
  log "$label: done in $((SECONDS - run_started)) s"
}

# The backend's own mss and wscale, from its SYN-ACK in a capture without synproxy
# (what the wizard asks for; the wiki's advice, done for real).
backend_options() { # DIR: sets BACKEND_MSS BACKEND_WSCALE
  local line
  line=$(grep -m1 '198\.18\.1\.2\.'"$PORT"' > .*Flags \[S\.\]' "$1/capture.txt" || true)
  BACKEND_MSS=$(sed -n 's/.*mss \([0-9]*\).*/\1/p' <<<"$line")
  BACKEND_WSCALE=$(sed -n 's/.*wscale \([0-9]*\).*/\1/p' <<<"$line")
  { [ -n "$BACKEND_MSS" ] && [ -n "$BACKEND_WSCALE" ]; } || fail "no SYN-ACK with mss and wscale from the backend in the forward baseline's capture"
}

main() {
  preflight
  local started=$SECONDS
  # under /run, not the sticky /tmp: the agent refuses a state directory any of whose
  # parents others can write (they could swap it and plant the backup a rollback loads)
  TMP=$(mktemp -d -p /run nft-lab.XXXXXX)
  chmod 700 "$TMP"
  mkdir -p "$OUT"
  OUT=$(cd "$OUT" && pwd) # absolute: the report steps run from the repository root
  write_baseline
  log "rulesets: the synproxy-anonymous template (input); the wizard's input ruleset without timestamp"
  rulesets "$TMP/input-synproxy.nft=template:synproxy-anonymous" "$TMP/input-nots.nft=wizard:placement=input,port=$PORT,mss=1460,wscale=7,timestamp=0"
  check_synproxy_ruleset "$TMP/input-synproxy.nft" input
  check_synproxy_ruleset "$TMP/input-nots.nft" input
  local baseline_source="lab baseline: ct state in input and forward, accept all"
  RUN_DIRS=()

  run_case input-baseline "input, without synproxy" input "$TMP/baseline.nft" "$baseline_source" 0 0 1
  run_case input-synproxy "input, synproxy (template)" input "$TMP/input-synproxy.nft" "${SOURCE[$TMP/input-synproxy.nft]}" 1 1 1

  run_case forward-baseline "forward, without synproxy" forward "$TMP/baseline.nft" "$baseline_source" 0 0 1
  backend_options "$TMP/run-forward-baseline"
  log "rulesets: the wizard's forward ruleset with the backend's mss $BACKEND_MSS wscale $BACKEND_WSCALE (its SYN-ACK in forward-baseline), with and without timestamp"
  local opts="placement=forward,port=$PORT,mss=$BACKEND_MSS,wscale=$BACKEND_WSCALE"
  rulesets "$TMP/forward-synproxy.nft=wizard:$opts" "$TMP/forward-nots.nft=wizard:$opts,timestamp=0"
  check_synproxy_ruleset "$TMP/forward-synproxy.nft" forward
  check_synproxy_ruleset "$TMP/forward-nots.nft" forward
  run_case forward-synproxy "forward, synproxy (wizard)" forward "$TMP/forward-synproxy.nft" "${SOURCE[$TMP/forward-synproxy.nft]} (read from the backend's SYN-ACK in forward-baseline)" 1 1 1

  # latency only: the same handshake without the timestamp option
  run_case input-synproxy-nots "input, synproxy, no timestamp" input "$TMP/input-nots.nft" "${SOURCE[$TMP/input-nots.nft]}" 1 0 0
  run_case forward-synproxy-nots "forward, synproxy, no timestamp" forward "$TMP/forward-nots.nft" "${SOURCE[$TMP/forward-nots.nft]}" 1 0 0

  local json=$OUT/synproxy-lab-report.json html=$OUT/synproxy-lab-report.html status=0
  LAB_WALL_S=$((SECONDS - started)) LAB_KERNEL=$(uname -r) LAB_NFT=$(nft --version) \
    LAB_TCPDUMP=$(tcpdump --version 2>&1 | head -n1) LAB_HPING3=$(hping3 --version 2>&1 | head -n1 | sed "s/ (\$Id.*//" | cut -c1-80) \
    LAB_PORT=$PORT LAB_SYN_COUNT=$SYN_COUNT LAB_FLOOD_INTERVAL_US=$FLOOD_INTERVAL_US LAB_FLOOD_TIME_LIMIT=$FLOOD_TIME_LIMIT LAB_SAMPLE_MS=$SAMPLE_MS \
    python3 "$HELPER" report "$json" "${RUN_DIRS[@]}" || status=$?
  # the page is written whatever the verdict: a failure is worth seeing too
  (cd "$ROOT" && npx tsx lab/report-html.ts "$json" "$html") || fail "the report did not validate (see above): $json"
  printf 'report: %s\npage:   %s\n(%d s)\n' "$json" "$html" "$((SECONDS - started))"
  ((status == 0)) || exit 1
  log "PASS: synproxy kept conntrack flat in both placements and let legitimate clients in"
}

main "$@"
