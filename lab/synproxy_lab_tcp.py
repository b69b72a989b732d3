#!/usr/bin/env python3
"""TCP helpers for lab/synproxy-lab.sh: the protected service and the legitimate client.

  serve HOST PORT                       accept connections, answer "ok\\n", close
  probe HOST PORT [TIMEOUT]             one connection; exit 0 if it reads "ok";
                                        prints how long it took, in seconds
  probe-while PID HOST PORT [TIMEOUT]   probe repeatedly while process PID runs
                    (the flood); print "OK TOTAL"

Standard library only, so the lab needs nothing beyond python3 on the host.
"""

import os
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


def probe(host: str, port: int, timeout: float) -> bool:
  try:
    with socket.create_connection((host, port), timeout=timeout) as conn:
      conn.settimeout(timeout)
      data = b""
      while not data.endswith(b"\n"):
        chunk = conn.recv(16)
        if not chunk:
          break
        data += chunk
      return data == b"ok\n"
  except OSError:
    return False


def probe_while(pid: int, host: str, port: int, timeout: float) -> None:
  ok = total = 0
  # At least one probe, even if the flood is already over.
  while True:
    total += 1
    ok += probe(host, port, timeout)
    if not os.path.exists(f"/proc/{pid}"):
      break
    time.sleep(0.05)
  print(f"{ok} {total}", flush=True)


def main(argv: list[str]) -> int:
  if len(argv) >= 3 and argv[0] == "serve":
    serve(argv[1], int(argv[2]))
    return 0
  if len(argv) >= 3 and argv[0] == "probe":
    timeout = float(argv[3]) if len(argv) > 3 else 3.0
    started = time.monotonic()
    ok = probe(argv[1], int(argv[2]), timeout)
    print(f"{time.monotonic() - started:.2f}", flush=True)
    return 0 if ok else 1
  if len(argv) >= 4 and argv[0] == "probe-while":
    timeout = float(argv[4]) if len(argv) > 4 else 3.0
    probe_while(int(argv[1]), argv[2], int(argv[3]), timeout)
    return 0
  print(__doc__, file=sys.stderr)
  return 2


if __name__ == "__main__":
  sys.exit(main(sys.argv[1:]))
