"""The session keys Django looks up while rendering each template given on stdin (a JSON list of
template texts): what a template reads of the session, for the index's template reads to match.
"""
import json, sys
import django
from django.conf import settings
settings.configure(TEMPLATES=[{'BACKEND': 'django.template.backends.django.DjangoTemplates'}])
django.setup()
from django.template import Context, Template


class RecordingSession(dict):
    """A session that notes each key looked up in it, and holds every key."""

    def __init__(self):
        super().__init__()
        self.looked_up = []

    def __getitem__(self, key):
        self.looked_up.append(key)
        return 'value'


class Request:
    def __init__(self):
        self.session = RecordingSession()


out = []
for text in json.load(sys.stdin):
    request = Request()
    Template(text).render(Context({'request': request}))
    out.append(request.session.looked_up)
print(json.dumps({'version': django.get_version(), 'reads': out}))
