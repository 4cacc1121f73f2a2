#!/usr/bin/env python3
"""Hostile senders against a running bridge (bench/hostile.sh drives it). Standard library only.

  hostile.py attack PORT SECONDS    slow bodies (220 connections, a byte every 5 s, no credential), big bodies
                                    (150 MB PATCH/PUT/admin GET/chunked POST), for SECONDS; prints what they got
  hostile.py amplified PORT RUN     3 calls of 30 salpre events of ~1 MB of [{},{},...] each, ending together;
                                    prints one JSON line per acknowledged event to stdout
  hostile.py verify PORT ACKS       every acknowledged event of ACKS is stored and its call delivered (admin API)
"""
import json
import socket
import sys
import threading
import time
import urllib.request
from collections import Counter

HOST = "127.0.0.1"
HUGE = 150 * 1024 * 1024


def head(method, path, length=None, chunked=False, extra=""):
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}", "Content-Type: application/json"]
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    elif length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n" + extra + "\r\n").encode()


def status_of(sock):
    try:
        data = sock.recv(64)
        return data.split(b" ")[1].decode() if data.startswith(b"HTTP/1.1 ") else "none"
    except OSError:
        return "reset"


def slow_sender(port, stop, outcomes):
    while not stop.is_set():
        try:
            with socket.create_connection((HOST, port), timeout=30) as sock:
                sock.sendall(head("POST", "/webhooks/salpre", 10000))
                sock.settimeout(0.01)
                while not stop.is_set():
                    try:
                        answer = sock.recv(64)
                        outcomes[answer.split(b" ")[1].decode() if answer else "closed"] += 1
                        break
                    except socket.timeout:
                        pass
                    sock.sendall(b" ")
                    stop.wait(5)
        except OSError:
            outcomes["reset"] += 1
            stop.wait(1)


def big_sender(port, stop, outcomes):
    kinds = [("PATCH", "/webhooks/salpre", False), ("PUT", "/webhooks/salpre", False),
             ("GET", "/admin/summary", False), ("POST", "/webhooks/salpre", True), ("POST", "/cekura/outbound-trigger", False)]
    chunk = b"[" + b"{}," * 21845 + b"{}]"
    i = 0
    while not stop.is_set():
        method, path, chunked = kinds[i % len(kinds)]
        i += 1
        try:
            with socket.create_connection((HOST, port), timeout=30) as sock:
                sock.sendall(head(method, path, None if chunked else HUGE, chunked))
                sent = 0
                sock.settimeout(0.001)
                while sent < HUGE and not stop.is_set():
                    try:
                        answer = sock.recv(64)
                        outcomes[f"{method} {path}: " + (answer.split(b" ")[1].decode() if answer else "closed")] += 1
                        break
                    except socket.timeout:
                        pass
                    data = (b"%x\r\n" % len(chunk)) + chunk + b"\r\n" if chunked else chunk
                    sock.settimeout(5)
                    sock.sendall(data)
                    sock.settimeout(0.001)
                    sent += len(chunk)
                else:
                    outcomes[f"{method} {path}: sent whole"] += 1
        except OSError as e:
            outcomes[f"{method} {path}: {type(e).__name__}"] += 1


def attack(port, seconds):
    stop = threading.Event()
    slow, big = Counter(), Counter()
    threads = [threading.Thread(target=slow_sender, args=(port, stop, slow), daemon=True) for _ in range(220)]
    threads += [threading.Thread(target=big_sender, args=(port, stop, big), daemon=True) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(10)
    print(json.dumps({"slow_bodies": slow, "big_bodies": big}))


def event(call_id, kind, ts, filler):
    payload = {"call_id": call_id, "from": "+905555555555", "to": "+905555555554", "direction": "outbound"}
    if kind == "transcript":
        payload.update({"type": "user", "transcript": "amplified line", "timestamp_utc": ts, "extra": filler})
    return json.dumps({"event_type": kind, "timestamp_utc": ts, "payload": payload}, separators=(",", ":")).encode()


def post(port, body):
    request = urllib.request.Request(f"http://{HOST}:{port}/webhooks/salpre", data=body,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()
    except OSError as gone:
        return 0, type(gone).__name__


def amplified(port, run):
    filler = [{} for _ in range(330_000)]   # ~1 MB of {},
    calls = [900000000 + run * 100 + i for i in range(3)]
    lock = threading.Lock()

    def one_call(call_id):
        base = 1760084500
        for n, kind in enumerate(["call_initiated"] + ["transcript"] * 28 + ["call_ended"]):
            status, body = post(port, event(call_id, kind, base + n, filler))
            with lock:
                print(json.dumps({"call": call_id, "n": n, "kind": kind, "status": status, "answer": body[:160]}), flush=True)

    threads = [threading.Thread(target=one_call, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def verify(port, acks_file):
    acked = Counter()
    calls = set()
    for line in open(acks_file):
        ack = json.loads(line)
        calls.add(ack["call"])
        if ack["status"] == 200:
            acked[ack["call"]] += 1
    ok = True
    for call in sorted(calls):
        deadline = time.time() + 600
        while True:
            try:
                with urllib.request.urlopen(f"http://{HOST}:{port}/admin/calls/salpre/{call}?eventsLimit=500", timeout=30) as answer:
                    view = json.load(answer)
            except urllib.error.HTTPError as missing:
                view = {"state": f"http {missing.code}", "events": []}
            if view.get("state") in ("delivered", "dead-lettered") or time.time() > deadline:
                break
            time.sleep(2)
        stored = len(view.get("events", []))
        print(f"call {call}: acknowledged {acked[call]}, stored {stored}, state {view.get('state')}")
        ok &= stored >= acked[call] and view.get("state") == "delivered"
    print("every acknowledged event stored and its call delivered" if ok else "MISSING: see above")
    return 0 if ok else 1


if __name__ == "__main__":
    verb, port = sys.argv[1], int(sys.argv[2])
    if verb == "attack":
        attack(port, float(sys.argv[3]))
    elif verb == "amplified":
        amplified(port, int(sys.argv[3]))
    else:
        sys.exit(verify(port, sys.argv[3]))
