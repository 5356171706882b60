"""What a Django does with the language kept in the session: whether get_language_from_request() reads
it, whether LANGUAGE_SESSION_KEY exists, and whether set_language stores it (DS111's interop test).
"""
import json, sys, types
import django
from django.conf import settings
urls = types.ModuleType('probe_urls'); urls.urlpatterns = []; sys.modules['probe_urls'] = urls
settings.configure(
    SECRET_KEY='language-in-session-' + 'x' * 40,
    INSTALLED_APPS=['django.contrib.contenttypes', 'django.contrib.auth', 'django.contrib.sessions'],
    DATABASES={'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}},
    LANGUAGES=[('en', 'English'), ('de', 'German')], LANGUAGE_CODE='en', USE_I18N=True,
    ALLOWED_HOSTS=['testserver'], ROOT_URLCONF='probe_urls',
)
django.setup()
from django.core.management import call_command
call_command('migrate', verbosity=0)
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils import translation
from django.views.i18n import set_language
request = RequestFactory().get('/', HTTP_ACCEPT_LANGUAGE='en')
request.session = SessionStore()
request.session['_language'] = 'de'
out = {'version': django.get_version(), 'from_request': translation.get_language_from_request(request), 'constant': hasattr(translation, 'LANGUAGE_SESSION_KEY')}
posted = RequestFactory().post('/i18n/setlang/', {'language': 'de'})
posted.session = SessionStore()
response = set_language(posted)
out['set_language_writes'] = '_language' in posted.session
out['cookie'] = response.cookies[settings.LANGUAGE_COOKIE_NAME].value
print(json.dumps(out))
