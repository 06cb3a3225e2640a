#!/usr/bin/env python3
"""An HTTP proxy in front of a real HSDS that injects the faults chunkbench
must survive: 503 answers, answers lost after the server acted (a claim that
happened but whose answer never arrived), dropped connections, and short
bodies (200 with fewer bytes than the selection). Loopback only.

Usage: fault_proxy.py --listen PORT --target http://127.0.0.1:5101
           [--busy-every N] [--lose-every N] [--drop-every N] [--short-every N]
           [--only SUBSTR] [--stats FILE] [--hold SUBSTR --release FILE [--held FILE]]
Every N-th request whose method+path+query contains SUBSTR (default: all)
gets the fault. --stats FILE gets a JSON count of requests and faults when
the proxy gets SIGTERM/SIGINT. --hold keeps every request that contains
SUBSTR waiting until the file --release exists (say, a flush held across a
server restart); --held FILE is made when the first one starts to wait.
When the server cannot be reached the client gets a 502, as from a gateway.
"""
import argparse
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", type=int, required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--busy-every", type=int, default=0, help="answer 503 without forwarding")
    ap.add_argument("--lose-every", type=int, default=0, help="forward, then answer 503 instead")
    ap.add_argument("--drop-every", type=int, default=0, help="close the connection without answering")
    ap.add_argument("--short-every", type=int, default=0, help="200 with half the body (binary GETs)")
    ap.add_argument("--only", default="")
    ap.add_argument("--stats")
    ap.add_argument("--hold")
    ap.add_argument("--release")
    ap.add_argument("--held")
    a = ap.parse_args()
    if a.hold and not a.release:
        ap.error("--hold needs --release FILE")

    lock = threading.Lock()
    stats = {"requests": 0, "matched": 0, "busy": 0, "lost": 0, "dropped": 0, "short": 0, "held": 0,
             "unreachable": 0}
    local = threading.local()

    def session():
        if not hasattr(local, "s"):
            local.s = requests.Session()
        return local.s

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer(self, code, body, headers=()):
            self.send_response(code)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def handle_any(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else None
            with lock:
                stats["requests"] += 1
                hit = a.only in f"{self.command} {self.path}"
                k = 0
                if hit:
                    stats["matched"] += 1
                    k = stats["matched"]

            def due(every):
                return hit and every > 0 and k % every == 0

            if due(a.busy_every):
                with lock:
                    stats["busy"] += 1
                return self.answer(503, b"503: Service Unavailable (injected)")
            if due(a.drop_every):
                with lock:
                    stats["dropped"] += 1
                self.close_connection = True
                return
            if a.hold and a.hold in f"{self.command} {self.path}":
                with lock:
                    stats["held"] += 1
                    if a.held and not os.path.exists(a.held):
                        open(a.held, "w").close()
                while not os.path.exists(a.release):
                    time.sleep(0.05)
            headers = {k2: v for k2, v in self.headers.items() if k2.lower() not in HOP | {"host"}}
            try:
                r = session().request(self.command, a.target + self.path, data=body, headers=headers, timeout=120)
            except requests.RequestException:
                # Server stopped or restarting: its kept-alive connections are dead.
                with lock:
                    stats["unreachable"] += 1
                local.s = requests.Session()
                return self.answer(502, b"502: Bad Gateway (server unreachable)")
            if due(a.lose_every):
                with lock:
                    stats["lost"] += 1
                return self.answer(503, b"503: Service Unavailable (injected after the server acted)")
            out = r.content
            binary = r.headers.get("Content-Type", "").startswith("application/octet-stream")
            if due(a.short_every) and binary and r.status_code == 200 and len(out) > 1:
                with lock:
                    stats["short"] += 1
                out = out[: len(out) // 2]
            hdrs = [(k2, v) for k2, v in r.headers.items() if k2.lower() not in HOP]
            self.answer(r.status_code, out, hdrs)

        do_GET = do_PUT = do_POST = do_DELETE = handle_any

    srv = ThreadingHTTPServer(("127.0.0.1", a.listen), Handler)
    srv.daemon_threads = True

    def stop(*_):
        if a.stats:
            with open(a.stats, "w") as f:
                json.dump(stats, f)
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"fault_proxy: 127.0.0.1:{a.listen} -> {a.target}", file=sys.stderr, flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
