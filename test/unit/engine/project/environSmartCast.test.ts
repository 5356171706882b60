import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { lintProjectSettings, readProject } from '../../../../engine/src';
import { settingValueToJson } from '../../../../engine/src/project';
import { tempProject } from './tempProject';

/**
 * django-environ's smart cast, pinned to its current release (0.12, `Env.get_value` and
 * `Env.parse_value`; the smart cast itself dates from 0.4.5, so Debian's 0.4.4 does not have it):
 * `Env()` has `smart_cast = True`, and a variable read without a cast is cast to its default's type.
 */
describe("django-environ's smart cast of a set variable to its default's type", () => {
  const manage = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")\n';

  async function settings(lines: string[], env: Record<string, string>): Promise<Record<string, unknown>> {
    const root = tempProject({ 'manage.py': manage, 'settings.py': ['import environ', 'from pathlib import Path', 'env = environ.Env(SCHEMED=(int, 7))', ...lines, ''].join('\n') });
    const project = await readProject(path.join(root, 'manage.py'), { env });
    return Object.fromEntries(project.settings.map((setting) => [setting.name, settingValueToJson(setting.value)]));
  }

  it('reads SESSION_COOKIE_AGE and SESSION_COOKIE_SECURE as the int and bool Django gets, with no DS202', async () => {
    const root = tempProject({
      'manage.py': manage,
      'settings.py': 'import environ\nenv = environ.Env()\nSECRET_KEY = "k"\nSESSION_COOKIE_AGE = env("SESSION_COOKIE_AGE", default=1209600)\nSESSION_COOKIE_SECURE = env("SESSION_COOKIE_SECURE", default=False)\n',
    });
    const env = { SESSION_COOKIE_AGE: '3600', SESSION_COOKIE_SECURE: 'true' };
    const project = await readProject(path.join(root, 'manage.py'), { env });
    assert.equal(project.stores[0]?.cookieAgeSeconds, 3600);
    assert.deepEqual(
      (await lintProjectSettings(project, { env })).filter((d) => d.code === 'DS202').map((d) => d.message),
      [],
    );
  });

  it('casts as parse_value does: bool through int() first, float with its own cleaning, list items unstripped, Path defaults as paths', async () => {
    const values = await settings(
      [
        'NUMBER_TRUE = env("NUMBER_TRUE", default=False)',
        'ZERO_FALSE = env("ZERO_FALSE", default=True)',
        'WORD_FALSE = env("WORD_FALSE", default=True)',
        'RATIO = env("RATIO", default=0.5)',
        'HOSTS = env("HOSTS", default=["a"])',
        'PAIR = env("PAIR", default=("a",))',
        'DIR = env("DIR", default=Path("/srv"))',
        'TEXT = env("TEXT", default="x")',
      ],
      { NUMBER_TRUE: '2', ZERO_FALSE: ' 0 ', WORD_FALSE: 'nope', RATIO: '1.000,5', HOSTS: 'x, y,', PAIR: '(p,q)', DIR: '/var/sessions', TEXT: '10' },
    );
    assert.deepEqual(
      ['NUMBER_TRUE', 'ZERO_FALSE', 'WORD_FALSE', 'RATIO', 'HOSTS', 'PAIR', 'DIR', 'TEXT'].map((name) => values[name]),
      [true, false, false, 1000.5, ['x', ' y'], ['p', 'q'], '/var/sessions', '10'],
    );
  });

  it('leaves the value uncast where the default is None, a cast is given or the default cannot be told, makes "" None under a None default, and returns a value equal to its default as it is', async () => {
    const values = await settings(
      [
        'NONE_DEFAULT = env("NONE_DEFAULT", default=None)',
        'EMPTY = env("EMPTY", default=None)',
        'GIVEN_CAST = env("GIVEN_CAST", cast=str, default=0)',
        'SCHEMED_CAST = env("SCHEMED", default="x")',
        'SAME_AS_DEFAULT = env.int("SAME_AS_DEFAULT", default="12")',
        'from django.core.management.utils import get_random_secret_key',
        'RANDOM_DEFAULT = env("RANDOM_DEFAULT", default=get_random_secret_key())',
      ],
      { NONE_DEFAULT: '5', EMPTY: '', GIVEN_CAST: '5', SCHEMED: '8', SAME_AS_DEFAULT: '12', RANDOM_DEFAULT: 'k3y' },
    );
    assert.deepEqual(
      ['NONE_DEFAULT', 'EMPTY', 'GIVEN_CAST', 'SCHEMED_CAST', 'SAME_AS_DEFAULT', 'RANDOM_DEFAULT'].map((name) => values[name]),
      ['5', null, '5', 8, '12', 'k3y'],
    );
  });
});
