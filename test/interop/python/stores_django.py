"""Runs session operations with real Django against one store, for the store interop tests.

Usage: stores_django.py CONFIG_JSON < ops.json
CONFIG: {"engine": "db"|"file", "database": Django DATABASES["default"] (db), "file_path": dir (file),
         "secret": str, "use_tz": bool or null (Django's default), "time_zone": str, "hashing_algorithm": "sha1" (optional, 3.1/3.2),
         "serializer": "pickle" (optional: PickleSerializer)}
Runs under whichever Django PYTHONPATH finds first (the machine's 3.2, or .cache/django52).
Each op is {"op": ...}; prints one JSON result per op, as a list:
  migrate                       -> null
  create {specs: [{data, expiry}]} -> [{key, json, expire_ts}]   (data is JSON text; expiry int seconds or null)
  load {keys}                   -> [{key, exists, json}]   exists: Django's load() kept the key
  expire_dates {keys}           -> {key: expire_date as epoch seconds, or null}   (db only)
  expiry {keys}                 -> {key: [get_expiry_date() as epoch seconds, _session_expiry as stored]}
  raw_insert {key, data}        -> null; a row Django did not encode (db only)
  sign {data} / unsign {value}  -> signed_cookies: the cookie value / {ok, json}
  clearsessions                 -> null
  keys                          -> sorted session keys in the store
  update {key, set}             -> true if Django saved it (a normal request's save; UpdateError -> false)
  version                       -> django.get_version(), to show which Django ran
  host_info                     -> how the database connection goes (MySQL: "Localhost via UNIX socket" or "<host> via TCP/IP")
"""
import json
import os
import sys
import time

import django
from django.conf import settings

config = json.loads(sys.argv[1])
# DJANGO_SETTINGS_MODULE makes Django set the process TZ to TIME_ZONE; settings.configure() does
# not, so do it here, or naive datetimes (USE_TZ=False) would be in the machine's zone instead.
os.environ["TZ"] = config.get("time_zone", "UTC")
time.tzset()
extra = {}
if config["engine"] == "file":
    extra["SESSION_FILE_PATH"] = config["file_path"]
if config.get("use_tz") is not None:
    extra["USE_TZ"] = config["use_tz"]
if config.get("serializer") == "pickle":
    extra["SESSION_SERIALIZER"] = "django.contrib.sessions.serializers.PickleSerializer"
if config.get("hashing_algorithm"):
    extra["DEFAULT_HASHING_ALGORITHM"] = config["hashing_algorithm"]
settings.configure(
    SECRET_KEY=config["secret"],
    TIME_ZONE=config.get("time_zone", "UTC"),
    INSTALLED_APPS=["django.contrib.sessions"],
    DATABASES={"default": config.get("database") or {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    SESSION_ENGINE="django.contrib.sessions.backends." + config["engine"],
    **extra,
)
django.setup()

from importlib import import_module  # noqa: E402

from django.core.management import call_command  # noqa: E402

SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


def dumps(d):
    return json.dumps(d, separators=(",", ":"))


def ts(d):
    """Epoch seconds of a Django datetime; naive ones are wall-clock time in TIME_ZONE."""
    from django.utils import timezone
    if timezone.is_naive(d):
        d = timezone.make_aware(d, timezone.get_default_timezone())
    return d.timestamp()


def run(op):
    kind = op["op"]
    if kind == "migrate":
        call_command("migrate", verbosity=0)
        return None
    if kind == "create":
        out = []
        for spec in op["specs"]:
            s = SessionStore()
            s.update(json.loads(spec["data"]))
            if spec.get("expiry") is not None:
                s.set_expiry(spec["expiry"])
            s.create()
            out.append({"key": s.session_key, "json": dumps(dict(s.items())), "expire_ts": ts(s.get_expiry_date())})
        return out
    if kind == "load":
        out = []
        for key in op["keys"]:
            s = SessionStore(key)
            data = s.load()
            exists = s.session_key == key
            out.append({"key": key, "exists": exists, "json": dumps(data) if exists else None})
        return out
    if kind == "expire_dates":
        from django.contrib.sessions.models import Session
        rows = {r.session_key: ts(r.expire_date) for r in Session.objects.filter(session_key__in=op["keys"])}
        return {k: rows.get(k) for k in op["keys"]}
    if kind == "expiry":
        out = {}
        for key in op["keys"]:
            s = SessionStore(key)
            out[key] = [ts(s.get_expiry_date()), repr(s.get("_session_expiry"))]
        return out
    if kind == "clearsessions":
        call_command("clearsessions")
        return None
    if kind == "keys":
        if config["engine"] == "file":
            prefix = settings.SESSION_COOKIE_NAME
            return sorted(n[len(prefix):] for n in os.listdir(config["file_path"]) if n.startswith(prefix) and "_out_" not in n)
        from django.contrib.sessions.models import Session
        return sorted(Session.objects.values_list("session_key", flat=True))
    if kind == "update":
        from django.contrib.sessions.backends.base import UpdateError
        s = SessionStore(op["key"])
        for k, v in op["set"].items():
            s[k] = v
        try:
            s.save()
            return True
        except UpdateError:
            return False
    if kind == "raw_insert":
        from django.db import connection
        from django.utils import timezone
        from datetime import timedelta
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO django_session (session_key, session_data, expire_date) VALUES (%s, %s, %s)",
                [op["key"], op["data"], timezone.now() + timedelta(days=30)],
            )
        return None
    if kind == "version":
        return django.get_version()
    if kind == "host_info":
        from django.db import connection
        connection.ensure_connection()
        return connection.connection.get_host_info()
    if kind == "sign":
        s = SessionStore()
        s.update(json.loads(op["data"]))
        s.save()
        return s.session_key
    if kind == "unsign":
        s = SessionStore(op["value"])
        data = s.load()
        return {"ok": not s.modified, "json": dumps(data)}
    raise ValueError("unknown op " + kind)


json.dump([run(op) for op in json.load(sys.stdin)], sys.stdout)
