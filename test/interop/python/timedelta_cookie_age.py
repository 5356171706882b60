"""Saves a session with SESSION_COOKIE_AGE = timedelta(days=1), for the cookie age interop test.

Usage: timedelta_cookie_age.py
Prints {backend: "ExceptionType: message" Django raised as it saved a session and set its cookie, or null},
for the db (SQLite in memory), cache (LocMem), file and signed_cookies engines.
"""
import json
import tempfile
from datetime import timedelta

import django
from django.conf import settings

settings.configure(
    SECRET_KEY="k" * 50,
    SESSION_COOKIE_AGE=timedelta(days=1),
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    SESSION_FILE_PATH=tempfile.mkdtemp(),
)
django.setup()

from django.core.management import call_command  # noqa: E402
from django.contrib.sessions.middleware import SessionMiddleware  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402

call_command("migrate", verbosity=0)
out = {}
for engine in ["db", "cache", "file", "signed_cookies"]:
    settings.SESSION_ENGINE = "django.contrib.sessions.backends." + engine
    request = RequestFactory().get("/")
    middleware = SessionMiddleware(lambda r: HttpResponse())
    middleware.process_request(request)
    request.session["x"] = 1
    try:
        middleware.process_response(request, HttpResponse())
        out[engine] = None
    except Exception as error:  # noqa: BLE001 - what Django raises is what the test compares
        out[engine] = "%s: %s" % (type(error).__name__, error)
print(json.dumps(out))
