"""Real Django 3.2 cache and cached_db sessions, for test/interop/cache*.test.ts.

Usage: cache_django.py < {"config": {...}, "ops": [...]}
config: {"secret_key", "engine": "cache"|"cached_db", "use_tz", "time_zone",
         "cache": {"BACKEND", "LOCATION", "KEY_PREFIX", "VERSION", "OPTIONS"},
         "database": {"NAME"} (PostgreSQL on 127.0.0.1, cached_db only)}
Each op is one of:
  create  {data, expiry}   Django creates a session; returns its key.
  load    {key}            What Django's SessionStore(key) sees: exists, data, expiry age.
  update  {key, data}      Django loads the session, updates it and saves.
  flush   {key}            Django deletes the session.
  cache_get {key}          The raw cache value under the session's cache key (tagged) and TTL.
  cache_delete {key}       Deletes the session's cache entry only (cached_db).
  cache_set {key, data, timeout}  Puts a dict under the session's cache key directly.
  create_localtime {user}  Django creates a session of that user holding timezone.localtime() (a
                           ZoneInfo datetime on Django 4+, a pytz one on 3.2); returns its key.
  load_repr {key}          repr() of what Django loads (for values the tags cannot carry).
  slow_load {key, delay}   load, with its cache refill held back `delay` seconds after the row
                           was read; "row-read" goes to stderr then (the stale-refill race).
  slow_update {key, data, delay}  update, with its cache set held back `delay` seconds after the
                           row was saved; "row-written" goes to stderr then (a save half done).
Values cross the pipe tagged (tagged_values.py).
"""
import json
import os
import sys
import time
import warnings

import django
from django.conf import settings

from tagged_values import tag, untag

warnings.simplefilter("ignore")
request = json.load(sys.stdin)
config = request["config"]
# As in stores_django.py: Django run by DJANGO_SETTINGS_MODULE sets the process TZ to TIME_ZONE,
# where naive datetimes (USE_TZ=False) live; settings.configure() does not.
os.environ["TZ"] = config.get("time_zone", "UTC")
time.tzset()
databases = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
if config.get("database"):
    databases = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "127.0.0.1", "PORT": 5432,
                             "USER": "postgres", "NAME": config["database"]["NAME"]}}
settings.configure(
    SECRET_KEY=config["secret_key"],
    USE_TZ=config.get("use_tz", True),
    TIME_ZONE=config.get("time_zone", "UTC"),
    INSTALLED_APPS=["django.contrib.sessions"],
    DATABASES=databases,
    CACHES={"default": config["cache"]},
    SESSION_ENGINE="django.contrib.sessions.backends." + config["engine"],
)
django.setup()

from importlib import import_module  # noqa: E402

from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402

if config.get("database"):
    call_command("migrate", verbosity=0)

SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
cache = caches["default"]


def ttl_of(cache_key):
    ttl = getattr(cache, "ttl", None)
    return ttl(cache_key) if ttl else None


def run(op):
    kind = op["op"]
    if kind == "create":
        s = SessionStore()
        s.update(untag(op["data"]))
        if op.get("expiry") is not None:
            s.set_expiry(untag(op["expiry"]))
        s.create()
        return {"key": s.session_key}
    if kind == "create_localtime":
        from django.utils import timezone
        s = SessionStore()
        s.update({"_auth_user_id": op["user"], "seen": timezone.localtime()})
        s.create()
        return {"key": s.session_key}
    if kind == "load_repr":
        return {"repr": repr(SessionStore(op["key"]).load())}
    if kind == "load":
        s = SessionStore(op["key"])
        data = s.load()
        exists = s.session_key is not None
        return {"exists": exists, "data": tag(data) if exists else None,
                "expiry_age": s.get_expiry_age() if exists else None}
    if kind == "update":
        s = SessionStore(op["key"])
        s.update(untag(op["data"]))
        s.save()
        return {"key": s.session_key}
    if kind == "flush":
        s = SessionStore(op["key"])
        s.delete()
        return {}
    if kind in ("slow_load", "slow_update"):
        real_set = cache.set

        def late_set(*args, **kwargs):
            sys.stderr.write("row-read\n" if kind == "slow_load" else "row-written\n")
            sys.stderr.flush()
            time.sleep(op["delay"])
            return real_set(*args, **kwargs)

        cache.set = late_set
        try:
            return run({**op, "op": "load" if kind == "slow_load" else "update"})
        finally:
            cache.set = real_set
    if kind == "cache_get":
        cache_key = SessionStore(op["key"]).cache_key
        value = cache.get(cache_key)
        return {"value": None if value is None else tag(value), "ttl": ttl_of(cache_key)}
    if kind == "cache_delete":
        cache.delete(SessionStore(op["key"]).cache_key)
        return {}
    if kind == "cache_set":
        cache.set(SessionStore(op["key"]).cache_key, untag(op["data"]), op.get("timeout"))
        return {}
    raise ValueError("unknown op %r" % kind)


json.dump([run(op) for op in request["ops"]], sys.stdout)
