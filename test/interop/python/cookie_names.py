"""Sets each session cookie name Django is given, for the cookie name interop test.

Usage: cookie_names.py < names.json   (a JSON list of SESSION_COOKIE_NAME values)
Prints {name: the CookieError Django's SessionMiddleware raised as it set the cookie, or null}.
"""
import json
import sys

import django
from django.conf import settings

settings.configure(
    SECRET_KEY="k" * 50,
    SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
    INSTALLED_APPS=["django.contrib.sessions"],
)
django.setup()

from http.cookies import CookieError  # noqa: E402

from django.contrib.sessions.middleware import SessionMiddleware  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402

out = {}
for name in json.load(sys.stdin):
    settings.SESSION_COOKIE_NAME = name
    request = RequestFactory().get("/")
    middleware = SessionMiddleware(lambda r: HttpResponse())
    middleware.process_request(request)
    request.session["x"] = 1
    try:
        middleware.process_response(request, HttpResponse())
        out[name] = None
    except CookieError as error:
        out[name] = str(error)
print(json.dumps(out))
