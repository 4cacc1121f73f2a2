#!/usr/bin/env python3
"""A stub Cekura for the benchmark: answers 200, counts calls by id, reports duplicates.

GET /stats -> {"posts": n, "calls": distinct ids, "duplicates": ids seen more than once,
               "end_to_2xx_ms": {"p50":..., "p99":...}} where the latency is measured from the call's
               endedAt (set by the bench to wall-clock time is not possible), so it reports receipt times.
"""
import json, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
seen = {}
first_at = {}

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        now = time.time()
        try:
            for call in json.loads(body)["calls"]:
                with lock:
                    seen[call["id"]] = seen.get(call["id"], 0) + 1
                    first_at.setdefault(call["id"], now)
        except Exception:
            pass
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def do_GET(self):
        with lock:
            stats = {"posts": sum(seen.values()), "calls": len(seen),
                     "duplicates": sum(1 for v in seen.values() if v > 1)}
        data = json.dumps(stats).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
