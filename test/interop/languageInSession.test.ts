import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { lintProject } from '../../engine/src';
import { tempProject } from '../unit/engine/project/tempProject';
import { requireDjango, requireDjango52, runDjangoScript } from './realDjango';

interface LanguageFacts {
  version: string;
  /** The language get_language_from_request() gives for a session holding '_language': 'de' and Accept-Language en. */
  from_request: string;
  constant: boolean;
  set_language_writes: boolean;
  cookie: string;
}

const VIEWS = [
  'from django.utils import translation',
  '',
  'def switch(request, lang):',
  '    translation.activate(lang)',
  '    request.session[translation.LANGUAGE_SESSION_KEY] = lang',
  '',
  'def column(request):',
  "    return request.session.get('_language')",
  '',
].join('\n');

/** DS111's lines and kinds (write or read) for the views above, with requirements pinning `django`. */
async function ds111(django: string): Promise<string[]> {
  const dir = tempProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    'proj/__init__.py': '',
    'proj/settings.py': 'SECRET_KEY = "k"\n',
    'proj/views.py': VIEWS,
    'requirements.txt': `Django==${django}\n`,
  });
  try {
    const found = (await lintProject(dir, { env: {} })).filter((d) => d.code === 'DS111');
    return found.map((d) => `${d.range.start.line + 1} ${/writing/.test(d.message) ? 'write' : 'read'}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('DS111: the language kept in the session, against real Django', function () {
  this.timeout(120_000);
  before(function () {
    requireDjango(this);
  });

  it("Django 3.2 ignores '_language' when it picks the language, though set_language still stores it: writes are reported, reads not", async () => {
    const django = runDjangoScript<LanguageFacts>('language_in_session.py', [], null);
    assert.deepEqual(django, { version: django.version, from_request: 'en', constant: true, set_language_writes: true, cookie: 'de' });
    assert.deepEqual(await ds111(django.version), ['5 write']);
  });

  it('Django 5.2 has no LANGUAGE_SESSION_KEY and never stores the language in the session: reads are reported too', async function () {
    const dir = requireDjango52(this);
    const django = runDjangoScript<LanguageFacts>('language_in_session.py', [], null, dir);
    assert.deepEqual(django, { version: django.version, from_request: 'en', constant: false, set_language_writes: false, cookie: 'de' });
    assert.match(django.version, /^5\.2/);
    assert.deepEqual(await ds111(django.version), ['5 write', '8 read']);
  });

  it('judges writes, not reads, where the version is not known', async () => {
    const dir = tempProject({ 'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n', 'proj/__init__.py': '', 'proj/settings.py': 'SECRET_KEY = "k"\n', 'proj/views.py': VIEWS });
    try {
      const found = (await lintProject(dir, { env: {} })).filter((d) => d.code === 'DS111');
      assert.deepEqual(found.map((d) => d.range.start.line + 1), [5]);
      assert.match(found[0]!.message, /^Django 3\.0 and later do not read the language from the session, so writing '_language' does not change it/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
