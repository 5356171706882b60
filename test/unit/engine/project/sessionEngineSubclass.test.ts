import * as assert from 'node:assert/strict';
import { projectWithSettings } from './settingsProject';

const SETTINGS = 'SECRET_KEY = "k"\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\nSESSION_ENGINE = "app.safe_sessions"\n';

describe("a project's own SESSION_ENGINE module", () => {
  it("reads a SessionStore that subclasses a built-in engine's and keeps its storage as that engine (zulip's safe_session_cached_db)", async () => {
    const module = [
      'from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbSessionStore',
      '',
      '',
      'class SessionStore(CachedDbSessionStore):',
      '    """Ignores a session deleted while the request ran."""',
      '',
      '    def save(self, must_create=False):',
      '        super().save(must_create)',
      '',
      '    def delete(self, session_key=None):',
      '        super().delete(session_key)',
    ].join('\n');
    const project = await projectWithSettings(SETTINGS, { 'app/safe_sessions.py': module });
    const [store] = project.stores;
    assert.deepEqual([store?.engine, store?.enginePath, store?.salt, store?.id], ['cached_db', 'app.safe_sessions', 'django.contrib.sessions.SessionStore', 'cached_db:default+default']);
    assert.deepEqual(project.problems, []);
    const dotted = await projectWithSettings(SETTINGS, { 'app/safe_sessions.py': 'from django.contrib.sessions.backends import db\n\n\nclass SessionStore(db.SessionStore):\n    pass\n' });
    assert.equal(dotted.stores[0]?.engine, 'db');
  });

  it('stays a custom engine, saying why, where the subclass may store sessions otherwise', async () => {
    const cases: [string, RegExp][] = [
      ['from django.contrib.sessions.backends.db import SessionStore as Base\n\n\nclass SessionStore(Base):\n    @classmethod\n    def get_model_class(cls):\n        return Custom\n', /also defines get_model_class, which may change how sessions are stored/],
      ['from django.contrib.sessions.backends.db import SessionStore as Base\n\n\nclass SessionStore(Base):\n    cache_key_prefix = "x"\n', /also defines cache_key_prefix = "x", which may change how sessions are stored/],
      ['from mixins import Logged\nfrom django.contrib.sessions.backends.db import SessionStore as Base\n\n\nclass SessionStore(Logged, Base):\n    pass\n', /does not subclass exactly one built-in engine's SessionStore/],
      ['class Store:\n    pass\n', /defines no class SessionStore at module level/],
    ];
    for (const [module, why] of cases) {
      const project = await projectWithSettings(SETTINGS, { 'app/safe_sessions.py': module });
      assert.equal(project.stores[0]?.engine, 'custom');
      assert.match(project.problems.map((p) => p.message).join('\n'), why);
    }
  });
});
