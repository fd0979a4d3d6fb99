#!/usr/bin/env python3
"""Bounded load client for `cxr serve` (bench/serve_load.sh): only ever sends to 127.0.0.1.

N clients (threads) share a fixed number of requests and stop at a time limit, each POSTing real films as
raw bodies (Content-Type from the file's magic bytes) to /api/v1/analyze, without retrying. Prints one JSON
line: requests, status counts, errors (anything but 200 and 503, including connection failures), req/s and
latency percentiles of the 200s.
"""
import argparse, http.client, json, os, sys, threading, time

HOST = "127.0.0.1"  # fixed: this script never sends anywhere else


def content_type(data):
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:2] == b"\xff\xd8":
        return "image/jpeg"
    if data[128:132] == b"DICM":
        return "application/dicom"
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--clients", type=int, required=True)
    ap.add_argument("--requests", type=int, required=True, help="total, shared by the clients")
    ap.add_argument("--time-limit", type=float, required=True, help="seconds; clients stop starting requests after it")
    ap.add_argument("--query", default="", help="query string for /api/v1/analyze, e.g. heatmap=false")
    ap.add_argument("films", nargs="+")
    a = ap.parse_args()
    films = []
    for f in a.films:
        with open(f, "rb") as fh:
            d = fh.read()
        t = content_type(d)
        if t:
            films.append((d, t))
    if not films:
        sys.exit("no PNG, JPEG or DICOM films given")
    lock = threading.Lock()
    state = {"next": 0}
    lat, statuses, errors = [], {}, []
    t0 = time.monotonic()
    deadline = t0 + a.time_limit

    def worker():
        conn = http.client.HTTPConnection(HOST, a.port, timeout=120)
        while True:
            with lock:
                i = state["next"]
                if i >= a.requests or time.monotonic() > deadline:
                    return
                state["next"] += 1
            body, ctype = films[i % len(films)]
            s = time.monotonic()
            try:
                conn.request("POST", "/api/v1/analyze" + ("?" + a.query if a.query else ""), body=body, headers={"Content-Type": ctype})
                r = conn.getresponse()
                payload = r.read()
                ms = (time.monotonic() - s) * 1000
                with lock:
                    statuses[r.status] = statuses.get(r.status, 0) + 1
                    if r.status == 200:
                        lat.append(ms)
                    elif r.status != 503:
                        errors.append("%d %s" % (r.status, payload[:200].decode("utf-8", "replace")))
                    elif r.getheader("Retry-After") is None:
                        errors.append("503 without Retry-After")
                if r.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, a.port, timeout=120)
            except Exception as e:  # a failed connection is an error, never retried
                with lock:
                    errors.append(type(e).__name__ + ": " + str(e)[:200])
                conn.close()
                conn = http.client.HTTPConnection(HOST, a.port, timeout=120)

    threads = [threading.Thread(target=worker) for _ in range(a.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    lat.sort()

    def pct(p):
        if not lat:
            return None
        return round(lat[min(len(lat) - 1, int(round(p / 100 * (len(lat) - 1))))], 1)

    print(json.dumps({"clients": a.clients, "query": a.query, "requests": state["next"],
                      "statuses": {str(k): v for k, v in sorted(statuses.items())}, "errors": len(errors),
                      "error_samples": errors[:3], "wall_s": round(wall, 1), "ok_per_s": round(len(lat) / wall, 2),
                      "p50_ms": pct(50), "p99_ms": pct(99), "max_ms": round(lat[-1], 1) if lat else None}))


if __name__ == "__main__":
    main()
