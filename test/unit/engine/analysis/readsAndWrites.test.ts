import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { lintProject } from '../../../../engine/src/analysis';
import { tempProject } from '../project/tempProject';

/** The keys DS101 and DS102 name in a project made of `files`, by code. */
async function findings(files: Record<string, string>): Promise<{ DS101: string[]; DS102: string[] }> {
  const found = await lintProject(tempProject(files, 'ds-reads-writes-'), { env: {} });
  const keysOf = (code: string) => found.filter((d) => d.code === code).map((d) => d.message.match(/'([^']+)'/)?.[1] ?? '');
  return { DS101: keysOf('DS101'), DS102: keysOf('DS102') };
}

describe('DS101 and DS102: a local bound to Channels\' scope["session"] or a helper\'s session', () => {
  it('takes its writes as writes and its reads as reads, until the name is bound again', async () => {
    const result = await findings({
      'chat/consumers.py': [
        'def connect(scope):',
        '    session = scope["session"]',
        '    session["room"] = 1',
        '    session = {}',
        '    session["notes"] = 1',
        '',
        'class RoomConsumer:',
        '    def receive(self):',
        '        session = self.scope["session"]',
        '        return session.get("nickname")',
        '',
      ].join('\n'),
      'chat/helpers.py': 'def remember(session):\n    s = session\n    s["remembered"] = 1\n',
      'chat/views.py': [
        'def view(request):',
        '    request.session["nickname"] = "me"',
        '    return request.session.get("room"), request.session.get("notes"), request.session["remembered"]',
        '',
      ].join('\n'),
    });
    assert.deepEqual(result, { DS101: ['notes'], DS102: [] });
  });
});

describe("DS101 and DS102: python-social-auth's strategy.session_get/session_set", () => {
  it("takes them for the session's reads and writes, as DjangoStrategy keeps them in request.session, and only on a strategy", async () => {
    const result = await findings({
      'accounts/pipeline.py': [
        'def create_user(strategy, backend, **kwargs):',
        '    strategy.session_set("backend", backend.name)',
        '    return strategy.session_get("organization_name")',
        '',
        'class Flow:',
        '    def run(self):',
        '        self.strategy.session_setdefault("step", 1)',
        '        return self.other.session_get("not_a_session_key")',
        '',
      ].join('\n'),
      'accounts/views.py': [
        'def finish(request):',
        '    request.session["organization_name"] = "x"',
        '    return request.session.get("backend"), request.session.get("step"), request.session.get("wanted")',
        '',
      ].join('\n'),
    });
    assert.deepEqual(result, { DS101: ['wanted'], DS102: [] });
  });
});

describe('DS101 and DS102: cleanup of a key is no read of it', () => {
  it('takes neither a dropped pop nor an `in` or `get` test that only guards the key\'s deletion for a read, `del(...)` in parentheses too (LFS)', async () => {
    const result = await findings({
      'shop/helpers.py': 'def forget(session):\n    session.pop("seen", None)\n',
      'shop/views.py': [
        'def logout_cleanup(request):',
        '    if "legacy_cart" in request.session:',
        '        del request.session["legacy_cart"]',
        '    request.session.pop("old_flag", None)',
        "    if request.session.get('old2'):",
        '        del request.session["old2"]',
        '    s = request.session',
        '    if "coupon" in s: s.pop("coupon")',
        '    if "last_manufacturer" in request.session:',
        '        del(request.session["last_manufacturer"])',
        '    if "a" in request.session:',
        '        del (request.session["a"], request.session["b"])',
        '',
        'async def alogout(request):',
        '    await request.session.apop("async_flag")',
        '    if await request.session.aget("async_old"):',
        '        del request.session["async_old"]',
        '',
        'def checkout(request):',
        '    request.session["coupon"] = "X"',
        '    request.session["seen"] = True',
        '',
        'def banner(request):',
        '    if "banner" in request.session:',
        '        del request.session["banner"]',
        '        notify()',
        '    if "hint" in request.session:',
        '        del request.session["other"]',
        '    return request.session.pop("token", None)',
        '',
      ].join('\n'),
    });
    // A guard whose body does more, or deletes another key, is a read; so is a pop whose value is used.
    assert.deepEqual(result, { DS101: ['banner', 'hint', 'token'], DS102: ['coupon', 'seen'] });
  });
});

describe('DS101 and DS102: accesses whose key is only known at run time', () => {
  it('say how many reads or writes with a dynamic key could be to the key', async () => {
    // horizon's get_config_value / save_config_value: the key is a parameter. A call passing a literal reads that key;
    // one passing a parameter of its own, and a helper nothing calls, leave accesses whose key is unknown.
    const dir = tempProject(
      {
        'horizon/functions.py': [
          'def get_config_value(request, key, default):',
          '    return request.session.get(key, request.COOKIES.get(key, default))',
          '',
          'def save_config_value(request, key, value):',
          '    request.session[key] = value',
          '',
          'def get_timezone(request):',
          "    return get_config_value(request, 'django_timezone', 'UTC')",
          '',
          'def get_setting(request, name):',
          '    return get_config_value(request, name, None)',
          '',
        ].join('\n'),
        'horizon/middleware.py': 'def process_request(request):\n    request.session["django_timezone"] = "UTC"\n    request.session["theme"] = "dark"\n    return request.session.get("page_size")\n',
      },
      'ds-dynamic-keys-',
    );
    try {
      const messages = (await lintProject(dir, { env: {} })).map((d) => [d.code, d.message]);
      assert.deepEqual(messages, [
        ['DS102', "Session key 'theme' is written but never read in this project (1 read with a dynamic key could also read it); read it where it is needed or stop storing it."],
        ['DS101', "Session key 'page_size' is read but never written in this project (1 write with a dynamic key could also set it); check the key's spelling or write it first."],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("takes a dynamic key that starts like the key as its write, and counts no other: pretix's 'current_cart_event_{}'.format(pk) is never 'email'", async () => {
    const dir = tempProject(
      {
        'shop/views.py': [
          'def legacy(request, pk):',
          '    email = request.session.get("email")',
          '    request.session["current_cart_event_{}".format(pk)] = 1',
          '    request.session[f"step_{pk}"] = 2',
          '    request.session["x_" + str(pk)] = 3',
          '    request.session["y_%s" % pk] = 4',
          '    return email, request.session.get("step_1"), request.session.get("y_2")',
          '',
        ].join('\n'),
      },
      'ds-dynamic-prefix-',
    );
    try {
      const messages = (await lintProject(dir, { env: {} })).filter((d) => d.code === 'DS101').map((d) => d.message);
      const unwritten = (key: string, caveat: string) => `Session key '${key}' is read but never written in this project${caveat}; check the key's spelling or write it first.`;
      // `step_1` and `y_2` are what `f"step_{pk}"` and `"y_%s" % pk` write: no typo to report.
      assert.deepEqual(messages, [unwritten('email', '')]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("DS107: a change made straight on a test client's session", () => {
  it('is reported and is no write, while a change kept in a variable and saved is a write; assertIn tests as `in` does', async () => {
    const root = tempProject(
      {
        'shop/views.py': 'def view(request):\n    return request.session.get("bad_link"), request.session.get("coupon"), request.session.get("cart")\n',
        'shop/tests/test_views.py': [
          'class ViewTests(TestCase):',
          '    def test_bad_link(self):',
          '        self.client.session["bad_link"] = True',
          '        admin_client.session.update({"coupon": 1})',
          '        session = self.client.session',
          '        session["cart"] = [1]',
          '        session.save()',
          '        self.assertIn("2fa_user_id", self.client.session)',
          '',
          '    def test_unsaved(self):',
          '        s = self.client.session',
          '        s["bad_link"] = False',
          '        self.client.session.save()',
          '',
        ].join('\n'),
      },
      'ds-test-client-',
    );
    const found = (await lintProject(root, { env: {} })).map((d) => `${d.code} ${d.range.start.line + 1}:${d.range.start.character} ${d.message.match(/'([^']+)'/)?.[1] ?? ''}`);
    assert.deepEqual(found.sort(), [
      'DS101 2:31 bad_link',
      'DS101 2:64 coupon',
      'DS101 8:22 2fa_user_id',
      'DS107 12:10 ',
      'DS107 3:28 ',
      'DS107 4:37 ',
    ]);
  });
});

describe('DS107 on a test client known by what makes it', () => {
  it('reports a change on a local or attribute bound to Client(), APIClient() or client_class(), whatever its name', async () => {
    const root = tempProject(
      {
        'shop/views.py': 'def view(request):\n    request.session["seen"] = 1\n    return request.session.get("seen")\n',
        'shop/tests/test_views.py': [
          'from django.test import Client, TestCase',
          'from rest_framework.test import APIClient',
          '',
          'class ViewTests(TestCase):',
          '    def setUp(self):',
          '        self.browser = Client()',
          '        self.other = object()',
          '',
          '    def test_local(self):',
          '        c = Client()',
          '        c.session["seen"] = 1',
          '        api = APIClient()',
          '        api.session.pop("seen")',
          '        made = self.client_class()',
          '        made.session["seen"] = 2',
          '        self.browser.session["seen"] = 3',
          '        self.other.session["seen"] = 4',
          '        s = c.session',
          '        s["seen"] = 5',
          '',
          'def view(request):',
          '    client = request',
          '    client.session["seen"] = 6',
          '',
        ].join('\n'),
      },
      'ds-test-client-made-',
    );
    const found = (await lintProject(root, { env: {} })).filter((d) => d.code === 'DS107').map((d) => `${d.range.start.line + 1}:${d.range.start.character}`);
    assert.deepEqual(found.sort(), ['11:18', '13:24', '15:21', '16:29', '19:10']);
  });
});

describe("a helper's session parameter that a call fills", () => {
  it("counts its accesses for DS101 and DS102, as the usages they are (CommCare's session_expiry)", async () => {
    const result = await findings({
      'app/timeout.py': [
        'class Timeout:',
        '    @classmethod',
        '    def update(cls, session, when):',
        '        session["session_expiry"] = when',
        '        return session.get("session_started")',
        '',
        'def middleware(request):',
        '    return Timeout.update(request.session, 5)',
        '',
      ].join('\n'),
    });
    assert.deepEqual(result, { DS101: ['session_started'], DS102: ['session_expiry'] });
  });
});

describe('a dict assigned as the session', () => {
  it("sets its literal keys, as a test's stand-in session does (Evennia's view tests)", async () => {
    const result = await findings({
      'web/tests.py': 'def test_view(self):\n    request = RequestFactory().get("/")\n    request.session = {"account": None, "puppet": None}\n    view(request)\n',
      'web/views.py': 'def view(request):\n    return request.session.get("puppet"), request.session.get("account"), request.session.get("theme"), request.session.get("resp_key")\n',
      'web/api.py': 'def call(response):\n    response.session = {"resp_key": 1}\n',
    });
    assert.deepEqual(result, { DS101: ['theme', 'resp_key'], DS102: [] });
  });
});

describe("getattr(request, 'session', None)", () => {
  it("is the request's session, through a local too, but not some other object's (HyperKitty's context processors)", async () => {
    const result = await findings({
      'app/views.py': [
        'def context(request):',
        '    session = getattr(request, "session", None)',
        '    if session is not None:',
        '        return {"theme": session.get("theme")}',
        '    return {"lang": getattr(self.request, "session", {}).get("lang"), "api": getattr(self, "session", None).get("token")}',
        '',
        'def set_prefs(request):',
        '    request.session["theme"] = "dark"',
        '',
      ].join('\n'),
    });
    assert.deepEqual(result, { DS101: ['lang'], DS102: [] });
  });
});
