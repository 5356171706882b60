"""A Django process saving sessions in a loop, for the live-write safety tests of cache, cached_db
and file stores (test/interop/liveWrites.test.ts).

Usage: live_writer.py < {"config": {...}, "seconds": S, "shared": [keys]}
   or: live_writer.py < {"config": {...}, "seed": {"shared": n, "expired": m}}
   or: live_writer.py < {"config": {...}, "load": [keys]}
config: {"secret_key", "engine": "cache"|"cached_db"|"file",
         "cache": Django CACHES["default"] (cache, cached_db), "database": {"NAME"} (PostgreSQL on
         127.0.0.1, cached_db), "file_path": dir (file)}
For S seconds, as a worker serving requests would: creates a session, then loads one of the shared
sessions (round-robin), adds one to its "django_counter" and saves it. A shared session that no
longer loads (its key was cycled) is not saved again; a save Django refuses (UpdateError: the
session went between its load and its save) is what SessionMiddleware reports as
SessionInterrupted. A load that finds another counter than the one this process last saved there
means that save was overwritten: it goes to "lost". "ready" goes to stderr once Django is set up.
Prints JSON: {"created": [keys], "last": {shared key: last counter saved}, "gone": [shared keys
that stopped loading], "interrupted": n, "saves": n, "lost": [{key, saved, loaded}]}.
With "seed", creates n shared sessions and m that Django treats as expired (a cache entry whose
absolute expiry passed, kept by its TTL; a row or file whose expiry passed) and prints
{"shared": [keys], "expired": [keys]}. With "load", prints what Django loads for each key:
[{"key", "exists", "django_counter"}].
"""
import json
import sys
import time
import warnings

import django
from django.conf import settings

warnings.simplefilter("ignore")
request = json.load(sys.stdin)
config = request["config"]
databases = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
if config.get("database"):
    databases = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "127.0.0.1", "PORT": 5432,
                             "USER": "postgres", "NAME": config["database"]["NAME"]}}
extra = {}
if config.get("cache"):
    extra["CACHES"] = {"default": config["cache"]}
if config.get("file_path"):
    extra["SESSION_FILE_PATH"] = config["file_path"]
settings.configure(
    SECRET_KEY=config["secret_key"],
    USE_TZ=True,
    TIME_ZONE="UTC",
    INSTALLED_APPS=["django.contrib.sessions"],
    DATABASES=databases,
    SESSION_ENGINE="django.contrib.sessions.backends." + config["engine"],
    **extra,
)
django.setup()

from importlib import import_module  # noqa: E402

from django.contrib.sessions.backends.base import UpdateError  # noqa: E402

SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
if "seed" in request and config.get("database"):
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
if "seed" in request:
    from datetime import timedelta

    from django.utils import timezone

    shared_keys, expired_keys = [], []
    for n in range(request["seed"]["shared"]):
        s = SessionStore()
        s["django_counter"] = 0
        s.create()
        shared_keys.append(s.session_key)
    for n in range(request["seed"]["expired"]):
        s = SessionStore()
        s["old"] = n
        if config["engine"] == "cache":
            s.create()
            s["_session_expiry"] = timezone.now() - timedelta(hours=1)
            s._cache.set(s.cache_key, s._session, 600)
        else:
            s.set_expiry(-3600)
            s.create()
        expired_keys.append(s.session_key)
    json.dump({"shared": shared_keys, "expired": expired_keys}, sys.stdout)
    sys.exit(0)
if "load" in request:
    loaded = []
    for key in request["load"]:
        s = SessionStore(key)
        data = s.load()
        loaded.append({"key": key, "exists": s.session_key is not None, "django_counter": data.get("django_counter")})
    json.dump(loaded, sys.stdout)
    sys.exit(0)
shared = request["shared"]
created, last, gone, lost = [], {}, [], []
interrupted = saves = 0
deadline = time.monotonic() + request["seconds"]
i = 0
print("ready", file=sys.stderr, flush=True)
while time.monotonic() < deadline:
    i += 1
    s = SessionStore()
    s["created"] = i
    s.create()
    created.append(s.session_key)
    key = shared[i % len(shared)]
    if key in gone:
        continue
    s = SessionStore(key)
    seen = s.get("django_counter", 0)
    if s.session_key != key:
        gone.append(key)
        continue
    if seen != last.get(key, 0):
        lost.append({"key": key, "saved": last.get(key, 0), "loaded": seen})
    counter = seen + 1
    s["django_counter"] = counter
    try:
        s.save()
    except UpdateError:
        interrupted += 1
        continue
    saves += 1
    last[key] = counter
json.dump({"created": created, "last": last, "gone": gone, "interrupted": interrupted, "saves": saves, "lost": lost}, sys.stdout)
