"""A Django process writing sessions in a loop, for the store safety tests.

Usage: stores_writer.py DB_PATH SECRET SECONDS SHARED_KEYS_JSON
Creates new sessions and increments "django_counter" in each shared session, round-robin, for
SECONDS seconds through one persistent connection (as a worker does). Prints JSON:
{"created": [keys saved], "last": {shared key: last counter Django saved}, "saves": {shared key: how many
times Django saved it}, "errors": [messages]}. Each save adds one to the counter it read, so where
no write of another replaced one of Django's, the last counter is the number of saves.
"""
import json
import sys
import time

from sqlite_django import setup_sqlite_django

db_path, secret, seconds, shared = sys.argv[1], sys.argv[2], float(sys.argv[3]), json.loads(sys.argv[4])
setup_sqlite_django(db_path, secret)

from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import OperationalError  # noqa: E402

created, last, saves, errors = [], {}, {}, []
deadline = time.monotonic() + seconds
i = 0
print("ready", file=sys.stderr, flush=True)
while time.monotonic() < deadline:
    i += 1
    try:
        s = SessionStore()
        s["w"] = i
        s.create()
        created.append(s.session_key)
    except OperationalError as e:
        errors.append(str(e))
    key = shared[i % len(shared)]
    try:
        s = SessionStore(key)
        counter = s.get("django_counter", 0) + 1
        s["django_counter"] = counter
        s.save()
        last[key] = counter
        saves[key] = saves.get(key, 0) + 1
    except OperationalError as e:
        errors.append(str(e))
json.dump({"created": created, "last": last, "saves": saves, "errors": errors}, sys.stdout)
