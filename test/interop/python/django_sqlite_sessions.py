"""Creates sessions with real Django's db backend in a SQLite file.

Usage: django_sqlite_sessions.py DB_PATH SECRET_KEY USE_TZ < specs.json
Each spec is {"data": <JSON object as text>, "expiry": null | int seconds}. Prints, per spec,
the session key, Django's own json.dumps of the data it stored, and the stored expire_date.
"""
import json
import sys

from sqlite_django import setup_sqlite_django

db_path, secret_key, use_tz = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
setup_sqlite_django(db_path, secret_key, use_tz)

from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)

out = []
for spec in json.load(sys.stdin):
    s = SessionStore()
    s.update(json.loads(spec["data"]))
    if spec.get("expiry") is not None:
        s.set_expiry(spec["expiry"])
    s.create()
    row = Session.objects.get(session_key=s.session_key)
    out.append({
        "key": s.session_key,
        "json": json.dumps(SessionStore().decode(row.session_data), separators=(",", ":")),
        "expire_date": row.expire_date.isoformat(),
    })
json.dump(out, sys.stdout)
