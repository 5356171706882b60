"""Real Django 3.2 on PostgreSQL with HOST and USER left empty, as many settings leave them:
psycopg2 then gets neither, so libpq connects through its Unix socket as the user running it.
For test/interop/storesPgSocket.test.ts.

Usage: pg_socket_session.py < {"secret_key", "name"}
Migrates, creates a session holding {"cart": [1, 2]} and prints {"key", "server_addr"}, where
server_addr is inet_server_addr(): null over a Unix socket.
"""
import json
import sys
import warnings

import django
from django.conf import settings

warnings.simplefilter("ignore")
request = json.load(sys.stdin)
settings.configure(
    SECRET_KEY=request["secret_key"],
    USE_TZ=True,
    INSTALLED_APPS=["django.contrib.sessions"],
    DATABASES={"default": {"ENGINE": "django.db.backends.postgresql", "NAME": request["name"], "HOST": ""}},
    SESSION_ENGINE="django.contrib.sessions.backends.db",
)
django.setup()

from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

call_command("migrate", verbosity=0)
session = SessionStore()
session["cart"] = [1, 2]
session.create()
with connection.cursor() as cursor:
    cursor.execute("SELECT inet_server_addr()")
    server_addr = cursor.fetchone()[0]
print(json.dumps({"key": session.session_key, "server_addr": server_addr}))
