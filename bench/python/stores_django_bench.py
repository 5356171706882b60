"""Django 3.2's side of the stores benchmark, timed in one process after setup.

Usage: stores_django_bench.py page sqlite DB_PATH SECRET RUNS        first page: ORM fetch of 100 + get_decoded()
       stores_django_bench.py page postgresql DB_NAME SECRET RUNS    count() + the same first page
       stores_django_bench.py clearsessions sqlite DB_PATH SECRET     call_command("clearsessions")
Prints JSON: {"median_ms": ..., "max_rss_kb": ...} (clearsessions: one run's ms).
"""
import json
import resource
import statistics
import sys
import time

import django
from django.conf import settings

mode, vendor, target, secret = sys.argv[1:5]
runs = int(sys.argv[5]) if len(sys.argv) > 5 else 1
if vendor == "sqlite":
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": target}
else:
    database = {"ENGINE": "django.db.backends.postgresql", "NAME": target, "USER": "root", "HOST": "127.0.0.1", "PORT": 5432}
settings.configure(SECRET_KEY=secret, USE_TZ=True, INSTALLED_APPS=["django.contrib.sessions"], DATABASES={"default": database})
django.setup()

from django.contrib.sessions.models import Session  # noqa: E402
from django.core.management import call_command  # noqa: E402


def first_page():
    total = Session.objects.count() if vendor == "postgresql" else None
    page = [(s.session_key, s.get_decoded(), s.expire_date) for s in Session.objects.order_by("-expire_date", "-session_key")[:100]]
    assert len(page) == 100 and all(p[1] for p in page)
    return total


if mode == "page":
    for _ in range(20):
        first_page()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        first_page()
        times.append((time.perf_counter() - t) * 1000)
    result = statistics.median(times)
else:
    t = time.perf_counter()
    call_command("clearsessions")
    result = (time.perf_counter() - t) * 1000
print(json.dumps({"median_ms": result, "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
