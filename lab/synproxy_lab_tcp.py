#!/usr/bin/env python3
"""Helpers for lab/synproxy-lab.sh: the protected service, the legitimate client,
the conntrack sampler, and the report (parsing tcpdump, counting, judging).

  serve HOST PORT                       accept connections, answer "ok\\n", close
  probe HOST PORT TIMEOUT PHASE [N]     N (default 1) connections, one after the other;
                                        one JSON line each: {"t","ok","latencyMs","phase"};
                                        exit 0 if all of them read "ok"
  probe-while PID HOST PORT TIMEOUT     probe repeatedly while process PID runs (the
                                        flood), at least once; JSON lines, phase "during"
  sample INTERVAL_MS                    print "EPOCH ENTRIES" (nf_conntrack_count of this
                                        namespace) every INTERVAL_MS until killed
  wait-lines FILE N TIMEOUT             wait until FILE has at least N lines
  wait-sample FILE EPOCH TIMEOUT        wait until FILE has a sample at or after EPOCH
  wait-capture FILE TIMEOUT             wait until a tcpdump text capture holds a whole
                                        connection: both FINs and the last ACK
  report OUT.json RUNDIR...             assemble the runs into the report, judge them,
                                        print the table; exit 1 if a verdict fails

Standard library only, so the lab needs nothing beyond python3 on the host.
"""

import json
import os
import re
import signal
import socket
import socketserver
import sys
import time


class OkHandler(socketserver.BaseRequestHandler):
  def handle(self) -> None:
    self.request.sendall(b"ok\n")


class OkServer(socketserver.ThreadingTCPServer):
  allow_reuse_address = True
  daemon_threads = True
  # Room for the legitimate clients: the flood's half-open connections must not be
  # what decides the outcome in the run without synproxy either.
  request_queue_size = 1024


def serve(host: str, port: int) -> None:
  with OkServer((host, port), OkHandler) as server:
    print("listening", flush=True)
    server.serve_forever()


def probe_once(host: str, port: int, timeout: float, phase: str) -> bool:
  started_wall = time.time()
  started = time.monotonic()
  ok = False
  try:
    with socket.create_connection((host, port), timeout=timeout) as conn:
      conn.settimeout(timeout)
      data = b""
      while not data.endswith(b"\n"):
        chunk = conn.recv(16)
        if not chunk:
          break
        data += chunk
      ok = data == b"ok\n"
  except OSError:
    ok = False
  took = (time.monotonic() - started) * 1000
  print(json.dumps({"t": round(started_wall, 4), "ok": ok, "latencyMs": round(took, 2), "phase": phase}), flush=True)
  return ok


def probe_while(pid: int, host: str, port: int, timeout: float) -> None:
  # At least one probe, even if the flood is already over.
  while True:
    probe_once(host, port, timeout, "during")
    if not os.path.exists(f"/proc/{pid}"):
      break
    time.sleep(0.05)


def sample(interval_ms: float) -> None:
  signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
  path = "/proc/sys/net/netfilter/nf_conntrack_count"
  step = interval_ms / 1000
  nxt = time.monotonic()
  while True:
    with open(path) as f:
      count = f.read().strip()
    print(f"{time.time():.4f} {count}", flush=True)
    nxt += step
    time.sleep(max(0.0, nxt - time.monotonic()))


def wait_for(cond, timeout: float) -> bool:
  end = time.monotonic() + timeout
  while time.monotonic() < end:
    if cond():
      return True
    time.sleep(0.02)
  return cond()


def read_lines(path: str) -> list[str]:
  try:
    with open(path) as f:
      return [l for l in f.read().splitlines() if l.strip()]
  except FileNotFoundError:
    return []


def last_sample_time(path: str) -> float:
  lines = read_lines(path)
  for line in reversed(lines):
    parts = line.split()
    if len(parts) == 2:
      try:
        return float(parts[0])
      except ValueError:
        pass
  return 0.0


# ---------------------------------------------------------------- tcpdump text

# tcpdump -i any -nn -tt -S -l: "1764700000.123456 veth0 In  IP 198.18.0.2.40000 > 198.18.0.1.8888: Flags [S], seq 1, win 64240, options [...], length 0"
PKT = re.compile(
  r"^(?P<t>\d+\.\d+)\s+(?P<iface>\S+)\s+(?P<dir>In|Out|M|B|P)?\s*IP\s+"
  r"(?P<src>[\d.]+)\.(?P<sport>\d+) > (?P<dst>[\d.]+)\.(?P<dport>\d+): Flags \[(?P<flags>[^\]]*)\](?P<rest>.*)$"
)


def parse_options(text: str) -> dict:
  out: dict = {}
  for part in text.split(","):
    part = part.strip()
    m = re.match(r"^mss (\d+)$", part)
    if m:
      out["mss"] = int(m.group(1))
    m = re.match(r"^wscale (\d+)$", part)
    if m:
      out["wscale"] = int(m.group(1))
    if part == "sackOK":
      out["sackOK"] = True
    m = re.match(r"^TS val (\d+) ecr (\d+)$", part)
    if m:
      out["ts"] = {"val": int(m.group(1)), "ecr": int(m.group(2))}
  return out


def parse_capture(path: str, lanes_of: dict) -> list[dict]:
  """lanes_of: {"IFACE DIR": [from, to]} — which lane a packet leaves and reaches."""
  packets = []
  t0 = None
  for line in read_lines(path):
    m = PKT.match(line)
    if not m:
      continue
    rest = m.group("rest")
    t = float(m.group("t"))
    if t0 is None:
      t0 = t
    key = f"{m.group('iface')} {m.group('dir') or ''}"
    if key not in lanes_of:
      continue
    frm, to = lanes_of[key]
    num = lambda name: (int(x.group(1)) if (x := re.search(rf"\b{name} (\d+)", rest)) else None)
    seq = re.search(r"\bseq (\d+)(?::(\d+))?", rest)
    opts = re.search(r"options \[([^\]]*)\]", rest)
    length = re.search(r"length (\d+)", rest)
    flags = m.group("flags") or "."
    packets.append({
      "t": round(t - t0, 6),
      "from": frm,
      "to": to,
      "iface": m.group("iface"),
      "dir": m.group("dir") if m.group("dir") in ("In", "Out") else "",
      "src": m.group("src"),
      "dst": m.group("dst"),
      "sport": int(m.group("sport")),
      "dport": int(m.group("dport")),
      "flags": flags,
      "seq": int(seq.group(1)) if seq else None,
      "ack": num("ack"),
      "win": num("win"),
      "len": int(length.group(1)) if length else 0,
      "options": parse_options(opts.group(1)) if opts else {},
    })
  return packets


def capture_complete(path: str) -> bool:
  """Both FINs and an ACK after them, on every interface that carried a FIN (lo, with
  only synproxy's handshake to the local service, never does). The server closes
  first, so in the forward placement its side has a FIN before the client's side."""
  by_iface: dict = {}
  for line in read_lines(path):
    m = PKT.match(line)
    if m:
      by_iface.setdefault(m.group("iface"), []).append(m.group("flags"))
  closing = [flags for flags in by_iface.values() if any("F" in f for f in flags)]
  if not closing:
    return False
  for flags in closing:
    fins = [i for i, f in enumerate(flags) if "F" in f]
    if len(fins) < 2 or not any(f == "." for f in flags[fins[1] + 1:]):
      return False
  return True


# ---------------------------------------------------------------- the report

COUNTERS = [
  "TcpExtTCPSynRetrans", "TcpExtSyncookiesSent", "TcpExtSyncookiesRecv", "TcpExtSyncookiesFailed",
  "TcpExtTSEcrRejected", "TcpExtPAWSEstab", "TcpExtListenOverflows", "TcpExtListenDrops", "TcpRetransSegs",
]
SYNPROXY_STAT = ["entries", "syn_received", "cookie_invalid", "cookie_valid", "cookie_retrans", "conn_reopened"]


def read_meta(path: str) -> dict:
  meta = {}
  for line in read_lines(path):
    k, _, v = line.partition("=")
    meta[k] = v
  return meta


def read_nstat(path: str) -> dict:
  out = {}
  for line in read_lines(path):
    parts = line.split()
    if len(parts) >= 2 and parts[0] in COUNTERS:
      out[parts[0]] = int(parts[1])
  return out


def read_synproxy_stat(path: str) -> dict:
  """/proc/net/stat/synproxy: a header, then one line of hex fields per CPU."""
  lines = read_lines(path)
  if not lines:
    return {}
  names = lines[0].split()
  sums = {n: 0 for n in names}
  for line in lines[1:]:
    for n, v in zip(names, line.split()):
      sums[n] += int(v, 16)
  return {f"synproxy.{n}": sums[n] for n in names if n in SYNPROXY_STAT and n != "entries"}


def number(meta: dict, key: str, kind=int):
  try:
    return kind(meta.get(key, "0") or "0")
  except ValueError:
    return kind(0)


def read_run(d: str) -> dict:
  meta = read_meta(os.path.join(d, "meta"))
  flood_start = number(meta, "flood_start", float)
  samples = []
  for line in read_lines(os.path.join(d, "samples")):
    parts = line.split()
    if len(parts) == 2 and re.match(r"^\d+(\.\d+)?$", parts[0]) and parts[1].isdigit():
      samples.append({"t": round(float(parts[0]) - flood_start, 3), "entries": int(parts[1])})
  conns = []
  for line in read_lines(os.path.join(d, "conns.jsonl")):
    c = json.loads(line)
    conns.append({"phase": c["phase"], "t": round(c["t"] - flood_start, 3) if flood_start else 0.0, "ok": bool(c["ok"]), "latencyMs": c["latencyMs"]})
  if not flood_start:
    # a latency-only run: times from its first connection
    t0 = conns[0]["t"] if conns else 0
    for c in conns:
      c["t"] = round(c["t"] - t0, 3)
  conns.sort(key=lambda c: c["t"])
  counters = []
  for role in ("client", "firewall", "server"):
    values = {**read_nstat(os.path.join(d, f"nstat-{role}")), **read_synproxy_stat(os.path.join(d, f"synproxy-{role}"))}
    for name in COUNTERS + [f"synproxy.{n}" for n in SYNPROXY_STAT if n != "entries"]:
      if name in values:
        counters.append({"namespace": role, "name": name, "value": values[name]})
  capture = None
  cap_path = os.path.join(d, "capture.txt")
  if os.path.exists(cap_path):
    lanes = json.loads(meta["lanes"])
    capture = {
      "namespace": meta.get("capture_ns", "firewall"),
      "filter": meta.get("capture_filter", ""),
      "lanes": lanes["names"],
      "packets": parse_capture(cap_path, lanes["map"])[:200],
    }
  with open(os.path.join(d, "ruleset.nft")) as f:
    ruleset_text = f.read()
  synproxy = meta["synproxy"] == "1"
  return {
    "id": meta["id"],
    "label": meta["label"],
    "placement": meta["placement"],
    "synproxy": synproxy,
    "timestamp": (meta.get("timestamp") == "1") if synproxy else None,
    "flood": meta["flood"] == "1",
    "ruleset": {"source": meta["ruleset_source"], "text": ruleset_text},
    "namespaces": {"client": meta["ns_client"], "firewall": meta["ns_firewall"], "server": meta["ns_server"]},
    "synsSent": number(meta, "syns_sent"),
    "floodS": round(number(meta, "flood_s", float), 3),
    "conntrackMax": number(meta, "conntrack_max"),
    "samples": samples,
    "connections": conns,
    "counters": counters,
    "capture": capture,
    "checks": [],
  }


# Verdict thresholds (see the lab's header).
MAX_SYNPROXY_ENTRIES = 100   # and at most 1% of the SYNs sent
MIN_BASELINE_PERCENT = 10    # without synproxy conntrack must hold this share of the SYNs
MIN_SYNS_SENT = 1000         # fewer and the flood did not happen
MIN_SAMPLES = 5              # conntrack samples during a flood, or the curve is not seen


def judge(run: dict) -> list[dict]:
  checks = []

  def check(name: str, ok: bool, detail: str) -> None:
    checks.append({"name": name, "pass": bool(ok), "detail": detail})

  peak = max((s["entries"] for s in run["samples"]), default=0)
  sent = run["synsSent"]
  conns = run["connections"]
  if run["flood"]:
    check("the flood happened", sent >= MIN_SYNS_SENT, f"{sent} SYNs sent (at least {MIN_SYNS_SENT})")
    # without samples the peak would be 0 and synproxy would pass for nothing
    during = [s for s in run["samples"] if 0 <= s["t"] <= run["floodS"]]
    check("conntrack was sampled during the flood", len(during) >= MIN_SAMPLES,
          f"{len(during)} samples in {run['floodS']:.1f} s (at least {MIN_SAMPLES})")
    if not run["synproxy"]:
      check("conntrack grows without synproxy", peak * 100 >= sent * MIN_BASELINE_PERCENT,
            f"peak {peak} entries for {sent} SYNs (at least {MIN_BASELINE_PERCENT} %: otherwise the lab proves nothing)")
    else:
      check("synproxy keeps conntrack flat", peak <= MAX_SYNPROXY_ENTRIES and peak * 100 <= max(sent, 1),
            f"peak {peak} entries for {sent} SYNs (at most {MAX_SYNPROXY_ENTRIES} and 1 %)")
  if run["synproxy"]:
    for phase in ("before", "during", "after"):
      mine = [c for c in conns if c["phase"] == phase]
      if mine:
        ok = sum(c["ok"] for c in mine)
        check(f"legitimate connections {phase} the flood" if run["flood"] else "legitimate connections", ok == len(mine), f"{ok} of {len(mine)} succeeded")
    if run["flood"] and not any(c["phase"] == "during" for c in conns):
      check("legitimate connections during the flood", False, "none was attempted")
  if run["capture"] is not None:
    check("the handshake was captured", len(run["capture"]["packets"]) >= 3, f"{len(run['capture']['packets'])} packets")
  return checks


def report(out: str, dirs: list[str]) -> int:
  runs = [read_run(d) for d in dirs]
  problems = []
  for r in runs:
    r["checks"] = judge(r)
    problems += [f"{r['label']}: {c['name']}: {c['detail']}" for c in r["checks"] if not c["pass"]]
  env = os.environ
  doc = {
    "format": "nft-designer-lab-report",
    "version": 1,
    "createdAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "wallTimeS": round(float(env.get("LAB_WALL_S", "0")), 1),
    "host": {
      "kernel": env.get("LAB_KERNEL", ""),
      "nft": env.get("LAB_NFT", ""),
      "tcpdump": env.get("LAB_TCPDUMP", ""),
      "hping3": env.get("LAB_HPING3", ""),
      "cpus": os.cpu_count() or 1,
    },
    "config": {
      "port": int(env["LAB_PORT"]),
      "synCount": int(env["LAB_SYN_COUNT"]),
      "floodIntervalUs": int(env["LAB_FLOOD_INTERVAL_US"]),
      "floodTimeLimitS": float(env["LAB_FLOOD_TIME_LIMIT"]),
      "sampleIntervalMs": float(env["LAB_SAMPLE_MS"]),
    },
    "verdict": {"pass": not problems, "problems": problems},
    "runs": runs,
  }
  with open(out, "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")

  row = "{:<34} {:>9} {:>10} {:>12} {:>12} {:>10} {:>8}"
  print()
  print(row.format("run", "SYNs sent", "ct peak", "legit ok", "median", "max", "SYNretr"))
  for r in runs:
    ok = [c["latencyMs"] for c in r["connections"] if c["ok"]]
    ok.sort()
    med = ok[len(ok) // 2] if ok else None
    retr = sum(c["value"] for c in r["counters"] if c["name"] == "TcpExtTCPSynRetrans" and c["namespace"] != "client")
    print(row.format(
      r["label"][:34], r["synsSent"], max((s["entries"] for s in r["samples"]), default=0),
      f"{len(ok)}/{len(r['connections'])}", "-" if med is None else f"{med:.1f} ms", "-" if not ok else f"{ok[-1]:.1f} ms", retr,
    ))
  print()
  for p in problems:
    print(f"lab: FAIL: {p}", file=sys.stderr)
  return 0 if not problems else 1


def main(argv: list[str]) -> int:
  if len(argv) >= 3 and argv[0] == "serve":
    serve(argv[1], int(argv[2]))
    return 0
  if len(argv) >= 5 and argv[0] == "probe":
    n = int(argv[5]) if len(argv) > 5 else 1
    results = [probe_once(argv[1], int(argv[2]), float(argv[3]), argv[4]) for _ in range(n)]
    return 0 if all(results) else 1
  if len(argv) >= 5 and argv[0] == "probe-while":
    probe_while(int(argv[1]), argv[2], int(argv[3]), float(argv[4]))
    return 0
  if len(argv) == 2 and argv[0] == "sample":
    sample(float(argv[1]))
    return 0
  if len(argv) == 4 and argv[0] == "wait-lines":
    return 0 if wait_for(lambda: len(read_lines(argv[1])) >= int(argv[2]), float(argv[3])) else 1
  if len(argv) == 4 and argv[0] == "wait-sample":
    return 0 if wait_for(lambda: last_sample_time(argv[1]) >= float(argv[2]), float(argv[3])) else 1
  if len(argv) == 3 and argv[0] == "wait-capture":
    return 0 if wait_for(lambda: capture_complete(argv[1]), float(argv[2])) else 1
  if len(argv) >= 3 and argv[0] == "report":
    return report(argv[1], argv[2:])
  print(__doc__, file=sys.stderr)
  return 2


if __name__ == "__main__":
  sys.exit(main(sys.argv[1:]))
