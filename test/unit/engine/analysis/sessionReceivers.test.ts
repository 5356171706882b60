import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { indexDirectory, SessionKeyIndex } from '../../../../engine/src/analysis';
import { fixtureProject } from '../project/fixturePath';

/**
 * Indexes a fixture project once, before its tests, checking that every key resolves; the
 * result gives a file's usages as `file:line:start-end op key`.
 */
function usagesOf(project: string): (file: string) => string[] {
  const root = fixtureProject(project);
  let rows: string[] = [];
  before(async () => {
    const index = await SessionKeyIndex.create();
    await indexDirectory(index, root);
    rows = index.usages().map((u) => `${path.relative(root, u.file)}:${u.range.start.line + 1}:${u.range.start.character}-${u.range.end.character} ${u.op} ${u.key}`);
    assert.deepEqual(index.unresolved(), []);
  });
  return (file) => rows.filter((row) => row.startsWith(`${file}:`));
}

describe('session receivers (fixture project "receivers")', () => {
  const of = usagesOf('receivers');

  it('skips a .session the code assigns from a call (requests, aiohttp, in a method or the class body), but not from a SessionStore', () => {
    assert.deepEqual(of('shop/clients.py'), ['shop/clients.py:24:24-36 set from_store', 'shop/clients.py:29:40-50 get view_key']);
  });

  it("keeps a request's session that the code assigns from another call, and an attribute it also assigns from a session", () => {
    assert.deepEqual(of('shop/reloads.py'), [
      'shop/reloads.py:12:7-20 contains oidc_states',
      'shop/reloads.py:14:28-41 read oidc_states',
      'shop/reloads.py:20:33-45 get login_next',
      'shop/reloads.py:32:32-56 get partial_pipeline_token',
    ]);
  });

  it('counts a store made through a name bound to SessionStore, a function or method returning one, and a Session row\'s get_decoded() (Evennia, AWX)', () => {
    assert.deepEqual(of('shop/stores.py'), [
      'shop/stores.py:22:17-32 set webclient_uid',
      'shop/stores.py:24:26-43 get webclient_nonce',
      'shop/stores.py:24:70-79 get created',
      'shop/stores.py:29:37-52 get _auth_user_id',
    ]);
  });

  it('ends an alias where its name is bound again, follows it into closures and walruses, and reads and sets on +=', () => {
    assert.deepEqual(of('shop/aliases.py'), [
      'shop/aliases.py:3:6-14 set before',
      'shop/aliases.py:12:17-26 read closure',
      'shop/aliases.py:27:34-46 get walrus_get',
      'shop/aliases.py:28:10-22 set walrus_set',
      'shop/aliases.py:38:20-28 read visits',
      'shop/aliases.py:38:20-28 set visits',
    ]);
  });

  it('ends an alias at `except … as`, `except* … as`, `with … as` (also inside a tuple or list target), `for … in` and `import … as`', () => {
    assert.deepEqual(of('shop/rebinds.py'), ['shop/rebinds.py:3:6-21 set before_except', 'shop/rebinds.py:13:6-19 set before_with', 'shop/rebinds.py:33:6-18 set before_for', 'shop/rebinds.py:49:6-21 set before_import']);
  });
});

describe('session aliases and test doubles (fixture project "ownscopes")', () => {
  const of = usagesOf('ownscopes');

  it('scopes comprehension targets and lambda parameters to the comprehension or lambda, both ways', () => {
    assert.deepEqual(of('shop/views.py').filter((row) => !row.endsWith(' api')), [
      // `[s.strip() for s in …]` leaves the alias in force after it.
      'shop/views.py:7:6-13 set names',
      // `session["row"]` inside `for session in …` is no session; `session` after it is.
      'shop/views.py:13:25-37 read after_rows',
      // The first iterable is evaluated outside the comprehension; `s["cell"]` and `s.get("page")` are not.
      'shop/views.py:18:50-56 read grid',
      'shop/views.py:19:41-48 get pairs',
      // `lambda s: s["price"]` has its own `s`.
      'shop/views.py:25:20-28 read prices',
      // A lambda that binds no `s` sees the alias; a default is evaluated outside, `*s` shadows it.
      'shop/views.py:30:21-27 read late',
      'shop/views.py:31:22-31 read default',
      // A walrus in a comprehension binds in the function.
      'shop/views.py:37:6-14 set walrus',
    ]);
  });

  it('hides a .session assigned from a call only for that owner in that function (or the module), not elsewhere in the file', () => {
    assert.deepEqual(of('shop/views.py').filter((row) => row.endsWith(' api')), ['shop/views.py:46:16-21 set api']);
  });

  it('counts a session replaced by a test double (MagicMock(), AsyncMock(), dict(), {}) as the session, per test', () => {
    assert.deepEqual(of('shop/tests.py'), [
      'shop/tests.py:12:28-36 get mocked',
      'shop/tests.py:17:24-31 set plain',
      'shop/tests.py:22:24-35 set from_dict',
      'shop/tests.py:27:28-42 get async_mocked',
    ]);
  });
});

/** The usages of one file of a project at /p indexed alone, as `line op key`. */
async function usagesIn(file: string, lines: string[]): Promise<string[]> {
  const index = await SessionKeyIndex.create();
  index.addRoot('/p');
  index.updateFile(file, lines.join('\n'));
  return index.usages().map((u) => `${u.range.start.line + 1} ${u.op} ${u.key}`);
}

describe('SessionStore instances', () => {
  it("count as sessions where code makes them (a management command, a test), but not the class or its class methods", async () => {
    const usages = await usagesIn('/p/shop/management/commands/seed.py', [
      'from importlib import import_module',
      'from django.conf import settings',
      'from django.contrib.sessions.backends.db import SessionStore',
      '',
      'class SessionStore2(SessionStore):',
      '    pass',
      '',
      'def handle():',
      '    s = SessionStore()',
      '    s["cart"] = []',
      '    s.save()',
      '    engine = import_module(settings.SESSION_ENGINE)',
      '    other = engine.SessionStore(session_key="abc")',
      '    other.setdefault("seen", 1)',
      '    SessionStore()["direct"] = 1',
      '    return SessionStore.get_model_class()',
      '',
    ]);
    assert.deepEqual(usages, ['10 set cart', '14 setdefault seen', '15 set direct']);
  });

  it('count where made by a name the class is imported as, by a backend module, or by the engine module of the settings', async () => {
    const usages = await usagesIn('/p/shop/tests.py', [
      'from importlib import import_module',
      'from django.conf import settings',
      'from django.contrib.sessions.backends import db',
      'from django.contrib.sessions.backends.cache import SessionStore as CacheStore, SessionBase as Base',
      '',
      'def test_stores():',
      '    cached = CacheStore()',
      '    cached["cached"] = 1',
      '    db.SessionStore()["by_module"] = 1',
      '    import_module(settings.SESSION_ENGINE).SessionStore().setdefault("by_engine", 1)',
      '    Base()["not_a_store"] = 1',
      '    fixtures.CacheStore()["not_imported"] = 1',
      '',
    ]);
    assert.deepEqual(usages, ['8 set cached', '9 set by_module', '10 setdefault by_engine']);
  });
});

describe('the views of a session\'s keys', () => {
  it('takes `key in session.keys()` (and `in await session.akeys()`) for a contains test, and iterating the keys or items for no key use', async () => {
    const usages = await usagesIn('/p/shop/views.py', [
      'async def view(request):',
      '    if "cart" in request.session.keys() or "promo" not in request.session.keys():',
      '        return "wish" in await request.session.akeys()',
      '    for key in request.session.keys():',
      '        print(key)',
      '    return [value for key, value in request.session.items()]',
      '',
    ]);
    assert.deepEqual(usages, ['2 contains cart', '2 contains promo', '3 contains wish']);
  });
});
