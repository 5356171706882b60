"""The peers' side of bench/cache.bench.ts.

Usage: cache_scan_bench.py scan PORT PATTERN COUNT
  Times redis-py's scan_iter(match=PATTERN, count=COUNT) over a whole database (best of 2).
Usage: cache_scan_bench.py loads FILE
  Times pickle.loads over the length-prefixed pickles in FILE (what Django's cache does on a read).
Prints one JSON object.
"""
import json
import pickle
import platform
import struct
import sys
import time


def scan(port, pattern, count):
    import redis
    client = redis.Redis(host="127.0.0.1", port=port)
    best = None
    keys = 0
    for _ in range(2):
        started = time.perf_counter()
        keys = sum(1 for _ in client.scan_iter(match=pattern, count=count))
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return {"keys": keys, "seconds": best, "redis_py": redis.__version__, "python": platform.python_version()}


def loads(path):
    with open(path, "rb") as f:
        data = f.read()
    items = []
    offset = 0
    while offset < len(data):
        (size,) = struct.unpack_from("<I", data, offset)
        items.append(data[offset + 4:offset + 4 + size])
        offset += 4 + size
    started = time.perf_counter()
    for item in items:
        pickle.loads(item)
    return {"count": len(items), "seconds": time.perf_counter() - started, "python": platform.python_version()}


if sys.argv[1] == "scan":
    print(json.dumps(scan(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))))
else:
    print(json.dumps(loads(sys.argv[2])))
