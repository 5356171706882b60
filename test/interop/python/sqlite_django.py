"""Django with its db session backend on one SQLite file, as the SQLite interop scripts run it."""
import django
from django.conf import settings


def setup_sqlite_django(db_path, secret_key, use_tz=True):
    """Configures Django's sessions app and db engine over the database at DB_PATH, and sets Django up."""
    settings.configure(
        SECRET_KEY=secret_key,
        USE_TZ=use_tz,
        INSTALLED_APPS=["django.contrib.sessions"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": db_path}},
        SESSION_ENGINE="django.contrib.sessions.backends.db",
    )
    django.setup()
