"""A Django worker that saves one session to a SQLite database in WAL mode and then waits to be killed.

Usage: django_killed_sqlite_writer.py DB_PATH SECRET DATA_JSON
Migrates, switches the file to WAL mode, saves a session holding DATA_JSON through its one
persistent connection, prints {"key": ...} on stdout, and sleeps. Killed (SIGKILL, as a crashed
or force-stopped runserver), it never checkpoints: the session stays in the -wal file only.
"""
import json
import sys
import time

from sqlite_django import setup_sqlite_django

db_path, secret, data = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
setup_sqlite_django(db_path, secret)

from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

call_command("migrate", verbosity=0)
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode=wal")
s = SessionStore()
s.update(data)
s.create()
print(json.dumps({"key": s.session_key}), flush=True)
while True:
    time.sleep(60)
