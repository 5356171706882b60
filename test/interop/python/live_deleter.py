"""A Django process that starts sessions and soon ends them, as logins and logouts do, for the
tests of cycling a key while Django deletes the session (test/interop/serverCycleLiveDelete.test.ts).

Usage: live_deleter.py < {"config": {...}, "seconds": S}
config as live_writer.py takes it: the "cache" engine on django-redis, "db" ("database" {"NAME"} is
PostgreSQL) or "file".
For S seconds: creates a session, lets it live a few milliseconds, then deletes it as flush() does,
noting whether there was still a session under its key to delete. "ready" goes to stderr once
Django is set up. Prints JSON: {"deleted": [keys Django deleted], "missing": [keys already gone]}.
"""
import json
import os
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

SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
if config.get("database"):
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def delete(s):
    """Deletes the session as its store's delete() does; whether one was there to delete."""
    key = s.session_key
    if config["engine"] == "db":
        from django.contrib.sessions.models import Session

        return Session.objects.filter(session_key=key).delete()[0] > 0
    if config["engine"] == "cache":
        # django-redis answers Redis's DEL: how many keys it deleted.
        return bool(s._cache.delete(s.cache_key))
    try:
        os.unlink(s._key_to_file(key))
        return True
    except FileNotFoundError:
        return False


deleted, missing = [], []
deadline = time.monotonic() + request["seconds"]
i = 0
print("ready", file=sys.stderr, flush=True)
while time.monotonic() < deadline:
    i += 1
    s = SessionStore()
    s["n"] = i
    s.create()
    time.sleep(0.005 + (i % 7) * 0.003)
    (deleted if delete(s) else missing).append(s.session_key)
json.dump({"deleted": deleted, "missing": missing}, sys.stdout)
