"""Reads a project's settings as Django does, for the settings interop test.

Usage: settings_django.py PROJECT_DIR   (with the environment the project should see)
Runs the project's manage.py as `manage.py runserver` (sys.argv too) with execute_from_command_line
replaced, and prints what Django's settings hold for the session store:
  {"module", "engine", "cookie_age", "file_path", "key_prefix", "db_engine", "db_name"}
"""
import json
import os
import runpy
import sys

root = sys.argv[1]
os.chdir(root)
sys.path.insert(0, root)

import django.core.management as management  # noqa: E402


def dump(argv=None):
    from django.conf import settings

    cache = settings.CACHES.get(settings.SESSION_CACHE_ALIAS, {})
    database = settings.DATABASES.get("default", {})
    print(json.dumps({
        "module": os.environ.get("DJANGO_SETTINGS_MODULE"),
        "engine": settings.SESSION_ENGINE,
        "cookie_age": settings.SESSION_COOKIE_AGE,
        "file_path": settings.SESSION_FILE_PATH and str(settings.SESSION_FILE_PATH),
        "key_prefix": cache.get("KEY_PREFIX", ""),
        "db_engine": database.get("ENGINE"),
        "db_name": database.get("NAME") and str(database.get("NAME")),
    }))


management.execute_from_command_line = dump
sys.argv = ["manage.py", "runserver"]
runpy.run_path("manage.py", run_name="__main__")
