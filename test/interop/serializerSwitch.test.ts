import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { PYTHON, requireDjango } from './realDjango';

describe("DS206's advice, against real Django", function () {
  this.timeout(60_000);
  before(function () {
    requireDjango(this);
  });

  it('a session stored under PickleSerializer reads as empty once SESSION_SERIALIZER is JSONSerializer, as the message warns', () => {
    const script = [
      'import json',
      'import django',
      'from django.conf import settings',
      'settings.configure(SECRET_KEY="serializer-switch-" + "x" * 40, INSTALLED_APPS=["django.contrib.sessions"],',
      '                   SESSION_SERIALIZER="django.contrib.sessions.serializers.PickleSerializer")',
      'django.setup()',
      'from django.contrib.sessions.backends.signed_cookies import SessionStore',
      'store = SessionStore()',
      'store["_auth_user_id"] = "42"',
      'pickled = store.encode(store._session)',
      'settings.SESSION_SERIALIZER = "django.contrib.sessions.serializers.JSONSerializer"',
      '# A store takes the serializer when it is made: `store` still unpickles, a new one reads JSON.',
      'print(json.dumps({"before": store.decode(pickled), "after": SessionStore().decode(pickled)}))',
    ].join('\n');
    const run = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { before: { _auth_user_id: '42' }, after: {} });
  });
});
