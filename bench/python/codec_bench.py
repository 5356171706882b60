"""Django's side of bench/codec.bench.ts: makes the sessions, then times Django itself.

Usage:
  codec_bench.py generate COUNT OUT_FILE SECRET_KEY
      writes COUNT sessions encoded by SessionStore().encode(), one per line; prints
      {"count", "compressed"}.
  codec_bench.py time OUT_FILE SECRET_KEY
      one timed round: SessionStore().decode() over every line, then SessionStore().encode()
      over the decoded dicts (one SessionStore instance, which favours Django slightly);
      prints {"decode_seconds", "encode_seconds", "max_rss_kb", ...}.
The TypeScript side interleaves its own rounds with these, so both see the same machine load.
"""
import json
import random
import resource
import string
import sys
import time

import django
from django.conf import settings

mode = sys.argv[1]
secret_key = sys.argv[-1]
settings.configure(
    SECRET_KEY=secret_key,
    USE_TZ=True,
    INSTALLED_APPS=["django.contrib.sessions"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
)
django.setup()

from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

rng = random.Random(20260101)
ALNUM = string.ascii_letters + string.digits


def token(n):
    return "".join(rng.choice(ALNUM) for _ in range(n))


def session():
    """Mixed real-world shapes; about 30% are big and repetitive enough to be compressed."""
    kind = rng.random()
    if kind < 0.70:
        return {"cart_id": rng.randint(1, 10**6), "csrf": token(32), "n": rng.random()}
    if kind < 0.85:
        return {
            "_auth_user_id": str(rng.randint(1, 10**6)),
            "_auth_user_backend": "b",
            "_auth_user_hash": token(64),
            "v": rng.randint(0, 9),
        }
    return {
        "_auth_user_id": str(rng.randint(1, 10**6)),
        "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
        "_auth_user_hash": token(64),
        "_session_expiry": rng.choice([0, 300, 3600, 1209600]),
        "cart": [{"sku": rng.randint(1, 500), "qty": rng.randint(1, 3), "name": "Zoë ☃ product"} for _ in range(rng.randint(1, 25))],
        "recently_viewed": [rng.randint(1, 10**5) for _ in range(rng.randint(0, 50))],
        "_messages": '[["__json_message", 0, 20, "Welcome back!"]]',
    }


store = SessionStore()
if mode == "generate":
    count, out_path = int(sys.argv[2]), sys.argv[3]
    encoded = [store.encode(session()) for _ in range(count)]
    with open(out_path, "w", encoding="ascii") as f:
        f.write("\n".join(encoded))
    json.dump({"count": count, "compressed": sum(1 for s in encoded if s.startswith("."))}, sys.stdout)
    sys.exit(0)

with open(sys.argv[2], encoding="ascii") as f:
    encoded = f.read().split("\n")
store.decode(encoded[0])

# Keeps nothing, like ours, so neither side is timed retaining 100,000 dicts.
start = time.perf_counter()
for s in encoded:
    store.decode(s)
decode_seconds = time.perf_counter() - start

decoded = [store.decode(s) for s in encoded]
start = time.perf_counter()
for d in decoded:
    store.encode(d)
encode_seconds = time.perf_counter() - start

json.dump(
    {
        "decode_seconds": decode_seconds,
        "encode_seconds": encode_seconds,
        "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "django": django.get_version(),
        "python": sys.version.split()[0],
    },
    sys.stdout,
)
