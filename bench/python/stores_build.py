"""Builds the stores benchmark data with real Django 3.2: a SQLite database or a PostgreSQL table
holding COUNT sessions (about half expired), session_data encoded by Django itself.

Usage: stores_build.py sqlite DB_PATH SECRET COUNT
       stores_build.py postgresql DB_NAME SECRET COUNT
Django encodes 5,000 distinct sessions (logged-in users, carts, flags, some large enough to be
compressed); rows cycle through them under random keys and expiry dates within two weeks of now.
"""
import io
import random
import sqlite3
import string
import sys
import time
from datetime import datetime, timedelta

import django
from django.conf import settings

vendor, target, secret, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
if vendor == "sqlite":
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": target}
else:
    database = {"ENGINE": "django.db.backends.postgresql", "NAME": target, "USER": "root", "HOST": "127.0.0.1", "PORT": 5432}
settings.configure(SECRET_KEY=secret, USE_TZ=True, INSTALLED_APPS=["django.contrib.sessions"], DATABASES={"default": database})
django.setup()

from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

call_command("migrate", verbosity=0)
rng = random.Random(7)
store = SessionStore()
payloads = []
for i in range(5000):
    data = {"visits": i, "flag": i % 2 == 0, "theme": rng.choice(["dark", "light"])}
    if i % 2 == 0:
        data.update({"_auth_user_id": str(i % 997), "_auth_user_backend": "django.contrib.auth.backends.ModelBackend", "_auth_user_hash": "%064x" % rng.getrandbits(256)})
    if i % 3 == 0:
        data["cart"] = [rng.randint(1, 500) for _ in range(rng.randint(1, 30))]
    payloads.append(store.encode(data))

now = datetime.utcnow()
alphabet = string.ascii_lowercase + string.digits


def rows():
    for i in range(count):
        key = "".join(rng.choices(alphabet, k=32))
        expire = now + timedelta(seconds=rng.randint(-14 * 86400, 14 * 86400), microseconds=rng.randint(0, 999999))
        yield key, payloads[i % len(payloads)], expire


if vendor == "sqlite":
    connection.close()
    conn = sqlite3.connect(target)
    conn.execute("DROP INDEX django_session_expire_date_a5c62663")
    conn.executemany("INSERT INTO django_session VALUES (?, ?, ?)", ((k, d, str(e)) for k, d, e in rows()))
    conn.execute('CREATE INDEX "django_session_expire_date_a5c62663" ON "django_session" ("expire_date")')
    conn.commit()
    conn.close()
else:
    buf = io.StringIO()
    for k, d, e in rows():
        buf.write("%s\t%s\t%s+00\n" % (k, d, e.isoformat(" ")))
    buf.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_from(buf, "django_session", columns=("session_key", "session_data", "expire_date"))
        # Sets hint bits and the visibility map now, so neither side pays for them in its timing.
        cursor.execute("VACUUM ANALYZE django_session")
