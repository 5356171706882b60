import * as assert from 'node:assert/strict';
import { scanJson, scanProject } from '../../../../engine/src/analysis';
import * as fs from 'node:fs';
import { fixtureProject } from '../project/fixturePath';
import { tempProject } from '../project/tempProject';

describe('scanProject / scanJson', () => {
  it('gives the scan --json document of issue 6: relative files, 1-based lines, UTF-16 columns, snake_case', async () => {
    const root = fixtureProject('keys');
    const json = scanJson(await scanProject(root, { env: {} }), root);
    assert.equal(json.usages.length, 25);
    assert.deepEqual(json.usages[9], { key: 'cart', op: 'get', file: 'shop/views.py', line: 9, column: 31, end_line: 9, end_column: 39, in_test: false });
    assert.deepEqual(json.unresolved[0], { op: 'set', file: 'shop/views.py', line: 36, column: 20, end_line: 36, end_column: 24, in_test: false, reason: "the key is the parameter 'name'" });
    assert.deepEqual(json.settings, []);
  });

  it("masks credentials in the settings it reports: a URL's password and a str under a password's name (kpi's SESSION_REDIS)", async () => {
    const root = tempProject(
      {
        'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
        'proj/__init__.py': '',
        'proj/settings.py': [
          'import os',
          'SESSION_ENGINE = "redis_sessions.session"',
          'SESSION_REDIS = {"url": os.environ["REDIS_SESSION_URL"], "prefix": "session", "socket_timeout": 1}',
          'SESSION_REDIS_PASSWORD = "hunter2"',
          'SESSION_REDIS_HOST = "redis://cache:6379/1"',
          'SESSION_REDIS_URLS = "redis://cache:6379/0?password=pw1&db=1,redis://:pw2/x@other:6379/0"',
          'SESSION_REDIS_CONFIG = {"PASSWORD": 1234}',
          '',
        ].join('\n'),
      },
      'scan-secrets-',
    );
    const scan = await scanProject(root, { env: { REDIS_SESSION_URL: 'redis://:S3cretPw@redis-cache:6380/2' } });
    const shown = Object.fromEntries(scanJson(scan, root).settings.map((s) => [(s as { name: string }).name, (s as { value: unknown }).value]));
    assert.deepEqual(shown.SESSION_REDIS, { url: 'redis://:…@redis-cache:6380/2', prefix: 'session', socket_timeout: 1 });
    assert.equal(shown.SESSION_REDIS_PASSWORD, '…');
    assert.equal(shown.SESSION_REDIS_HOST, 'redis://cache:6379/1');
    assert.equal(shown.SESSION_REDIS_URLS, 'redis://cache:6379/0?password=…&db=1,redis://:…@other:6379/0');
    assert.deepEqual(shown.SESSION_REDIS_CONFIG, { PASSWORD: '…' });
    assert.ok(!JSON.stringify(scan.settings).includes('S3cretPw') && !JSON.stringify(scan.settings).includes('hunter2'));
  });

  it("reports a key passed to a helper's key parameter as a usage at the call's argument, with the helper's op", async () => {
    const root = fixtureProject('keyparams');
    const json = scanJson(await scanProject(root, { env: {} }), root);
    assert.deepEqual(json.usages[10], { key: 'wizard_step', op: 'get', file: 'wizard/views.py', line: 16, column: 34, end_line: 16, end_column: 47, in_test: false });
    // stash() takes the session as a parameter, which this call fills with request.session.
    assert.deepEqual(json.usages[1], { key: 'draft', op: 'set', file: 'wizard/cart.py', line: 7, column: 31, end_line: 7, end_column: 38, in_test: false });
    assert.deepEqual(json.unresolved, [
      {
        op: 'pop', file: 'wizard/helpers.py', line: 13, column: 24, end_line: 13, end_column: 27, in_test: false,
        reason: "the key is the parameter 'key', and the call of forget() at wizard/cart.py:16 passes a key not known statically: the key is the parameter 'which'",
      },
    ]);
  });

  it("lists the accesses through a helper's session parameter once a call hands it a session, by position or keyword (GeoNode's token helpers)", async () => {
    const root = tempProject(
      {
        'base/auth.py': [
          'def set_session_token(session, token):',
          '    session["access_token"] = str(token)',
          '',
          'def remove_session_token(session):',
          '    if "access_token" in session:',
          '        del session["access_token"]',
          '',
          'class Tokens:',
          '    def last(self, session):',
          '        return session.get("last_token")',
          '',
          'def unused(session):',
          '    return session["never_handed"]',
          '',
        ].join('\n'),
        'people/signals.py': 'from base.auth import remove_session_token, set_session_token, Tokens\n\ndef login(request, token):\n    set_session_token(request.session, token)\n    Tokens().last(session=request.session)\n\ndef logout(request):\n    s = request.session\n    remove_session_token(s)\n',
      },
      'ds-scan-handed-',
    );
    const json = scanJson(await scanProject(root, { env: {} }), root);
    assert.deepEqual(
      (json.usages as { key: string; op: string; file: string; line: number }[]).map((u) => `${u.key} ${u.op} ${u.file}:${u.line}`),
      ['access_token set base/auth.py:2', 'access_token contains base/auth.py:5', 'access_token delete base/auth.py:6', 'last_token get base/auth.py:10'],
    );
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("follows a helper that hands its session parameter on, however many hops down, and not one no call hands a session (Baserow's OAuth provider)", async () => {
    const root = tempProject(
      {
        'sso/providers.py': [
          'class Provider:',
          '    def get_authorization_url(self, instance, session, query_params):',
          '        session["oauth_state"] = "s"',
          '        self.push_request_data(session, query_params)',
          '',
          '    def push_request_data(self, session, query_params):',
          '        store_data(session=session)',
          '',
          '    def get_user_info(self, instance, code, session):',
          '        return session.pop("oauth_state")',
          '',
          'def store_data(session):',
          '    session["oauth_request_data"] = "{}"',
          '',
          'def orphan(session):',
          '    relay(session)',
          '',
          'def relay(session):',
          '    return session["never_handed"]',
          '',
        ].join('\n'),
        'sso/views.py': 'from sso.providers import Provider\n\ndef login(request):\n    return Provider().get_authorization_url(None, session=request.session, query_params={})\n',
      },
      'ds-scan-hops-',
    );
    const json = scanJson(await scanProject(root, { env: {} }), root);
    assert.deepEqual(
      (json.usages as { key: string; op: string; file: string; line: number }[]).map((u) => `${u.key} ${u.op} ${u.file}:${u.line}`),
      ['oauth_state set sso/providers.py:3', 'oauth_request_data set sso/providers.py:13'],
    );
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("lists an access through a handed session parameter whose key cannot be told as unresolved, not as nothing (django-oscar-api's store_basket_in_session)", async () => {
    const root = tempProject(
      {
        'basket/ops.py': [
          'from django.conf import settings',
          '',
          'def store_basket_in_session(basket, session):',
          '    session[settings.BASKET_KEY] = basket.pk',
          '',
          'def remember(session, key):',
          '    session[key] = 1',
          '',
          'def prepare(request, basket):',
          '    store_basket_in_session(basket, request.session)',
          '    remember(request.session, "seen")',
          '    return request.session.get(settings.BASKET_KEY)',
          '',
        ].join('\n'),
      },
      'ds-scan-handed-unresolved-',
    );
    const json = scanJson(await scanProject(root, { env: {} }), root);
    assert.deepEqual(
      (json.usages as { key: string; op: string; line: number }[]).map((u) => `${u.key} ${u.op} ${u.line}`),
      ['seen set 11'],
    );
    assert.deepEqual(
      (json.unresolved as { op: string; file: string; line: number }[]).map((u) => `${u.op} ${u.file}:${u.line}`),
      ['set basket/ops.py:4', 'get basket/ops.py:12'],
    );
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("lists the accesses in a class's __init__ through its session parameter once a call of the class hands it one (edX's MasqueradingKeyValueStore)", async () => {
    const root = tempProject(
      {
        'courseware/masquerade.py': [
          'MASQUERADE_DATA_KEY = "masquerade_data"',
          '',
          'class MasqueradingKeyValueStore:',
          '    def __init__(self, kvs, session):',
          '        self.kvs = kvs',
          '        self.session = session',
          '        self.session_data = session.setdefault(MASQUERADE_DATA_KEY, {})',
          '',
          'class Unused:',
          '    def __init__(self, session):',
          '        session.get("never_handed")',
          '',
          'def wrap(kvs, request):',
          '    return MasqueradingKeyValueStore(kvs, request.session)',
          '',
        ].join('\n'),
      },
      'ds-scan-init-',
    );
    const json = scanJson(await scanProject(root, { env: {} }), root);
    assert.deepEqual(
      (json.usages as { key: string; op: string; file: string; line: number }[]).map((u) => `${u.key} ${u.op} ${u.file}:${u.line}`),
      ['masquerade_data setdefault courseware/masquerade.py:7'],
    );
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('lists the SESSION_* settings with their file and line', async () => {
    const root = fixtureProject('ospath');
    const json = scanJson(await scanProject(root, { env: {} }), root);
    assert.deepEqual(json.settings, [
      { name: 'SESSION_ENGINE', value: 'django.contrib.sessions.backends.cached_db', file: 'legacy/settings.py', line: 24 },
      { name: 'SESSION_CACHE_ALIAS', value: 'sessions', file: 'legacy/settings.py', line: 25 },
      { name: 'SESSION_COOKIE_NAME', value: 'legacy_sid', file: 'legacy/settings.py', line: 26 },
      { name: 'SESSION_COOKIE_AGE', value: 86400, file: 'legacy/settings.py', line: 27 },
      { name: 'SESSION_SERIALIZER', value: 'django.contrib.sessions.serializers.PickleSerializer', file: 'legacy/settings.py', line: 28 },
      { name: 'SESSION_EXPIRE_AT_BROWSER_CLOSE', value: true, file: 'legacy/settings.py', line: 29 },
    ]);
  });
});
