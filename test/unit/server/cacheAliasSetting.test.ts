import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MarkupKind, type Location, type MarkupContent } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SessionKeyIndex } from '../../../engine/src';
import { completeSessionSettings } from '../../../server/src/completion';
import { hoverCacheAlias } from '../../../server/src/hover';
import { cacheAliasDefinition } from '../../../server/src/navigation';
import { ProjectModel } from '../../../server/src/projectModel';
import { tempProject } from '../engine/project/tempProject';

const MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n";
/** Split settings: base.py holds CACHES, with a Redis password in a URL; settings.py adds a cache and names the session one. */
const FILES: Record<string, string> = {
  'manage.py': MANAGE,
  'shop/__init__.py': '',
  'shop/base.py': [
    'CACHES = {',
    '    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},',
    '    "sessions": {',
    '        "BACKEND": "django.core.cache.backends.redis.RedisCache",',
    '        "LOCATION": "redis://:s3cret@127.0.0.1:6379/1",',
    '    },',
    '}',
    '',
  ].join('\n'),
  'shop/settings.py': [
    'from .base import *',
    '',
    'CACHES["memcached"] = {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache", "LOCATION": "127.0.0.1:11211"}',
    "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
    "SESSION_CACHE_ALIAS = 'sessions'",
    '',
    'def helper():',
    "    SESSION_CACHE_ALIAS = 'sessions'",
    '',
  ].join('\n'),
};

describe('SESSION_CACHE_ALIAS in the language server', () => {
  let root: string;
  let index: SessionKeyIndex;
  let model: ProjectModel;
  const file = (name: string) => path.join(root, name);
  const text = (f: string): string | undefined => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined);
  /** The position `offset` characters into the `nth` line holding `needle` of a file. */
  const at = (name: string, needle: string, offset = 1, nth = 0) => {
    const lines = text(file(name))!.split('\n');
    const line = lines.map((l, i) => (l.includes(needle) ? i : -1)).filter((i) => i >= 0)[nth]!;
    assert.ok(line !== undefined, `${needle} in ${name}`);
    return { line, character: lines[line]!.indexOf(needle) + offset };
  };
  const places = (locations: Location[] | undefined) => locations?.map((l) => `${path.relative(root, fileURLToPath(l.uri))}:${l.range.start.line}:${l.range.start.character}-${l.range.end.character}`);
  const hoverText = async (name: string, needle: string, offset = 1, nth = 0) => {
    const hover = await hoverCacheAlias(index.python, text, file(name), at(name, needle, offset, nth), model);
    return hover && (hover.contents as MarkupContent).value;
  };

  beforeEach(async () => {
    root = tempProject(FILES, 'ds-cache-alias-');
    index = await SessionKeyIndex.create();
    model = new ProjectModel(
      () => [root],
      () => ({ storeUrl: '', settingsModules: {} }),
    );
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("completes the keys of the project's CACHES inside the string, each with its backend and location, a password masked", async () => {
    const settings = file('shop/settings.py');
    const scope = await model.settingScope(settings);
    const document = TextDocument.create(pathToFileURL(settings).toString(), 'python', 1, "SESSION_CACHE_ALIAS = 'se");
    const items = completeSessionSettings(index.python, document, 0, 25, scope.project)!.items;
    assert.deepEqual(
      items.map((i) => [i.label, i.detail, i.documentation, i.textEdit]),
      [
        ['default', "SESSION_CACHE_ALIAS · Django's default", { kind: MarkupKind.PlainText, value: "BACKEND: 'django.core.cache.backends.locmem.LocMemCache'" }, { range: { start: { line: 0, character: 23 }, end: { line: 0, character: 25 } }, newText: 'default' }],
        [
          'sessions',
          'SESSION_CACHE_ALIAS',
          { kind: MarkupKind.PlainText, value: "BACKEND: 'django.core.cache.backends.redis.RedisCache'\nLOCATION: 'redis://:…@127.0.0.1:6379/1'" },
          { range: { start: { line: 0, character: 23 }, end: { line: 0, character: 25 } }, newText: 'sessions' },
        ],
        [
          'memcached',
          'SESSION_CACHE_ALIAS',
          { kind: MarkupKind.PlainText, value: "BACKEND: 'django.core.cache.backends.memcached.PyMemcacheCache'\nLOCATION: '127.0.0.1:11211'" },
          { range: { start: { line: 0, character: 23 }, end: { line: 0, character: 25 } }, newText: 'memcached' },
        ],
      ],
    );
    // After `= ` the whole literal, quoted as the module's strings are.
    const bare = TextDocument.create(pathToFileURL(settings).toString(), 'python', 1, 'X = "a"\nSESSION_CACHE_ALIAS = ');
    assert.deepEqual(
      completeSessionSettings(index.python, bare, 1, 22, scope.project)!.items.map((i) => i.textEdit?.newText),
      ['"default"', '"sessions"', '"memcached"'],
    );
  });

  it("offers Django's default cache where the settings set no CACHES, and nothing where CACHES cannot be read", async () => {
    fs.writeFileSync(file('shop/base.py'), '');
    fs.writeFileSync(file('shop/settings.py'), "SESSION_CACHE_ALIAS = ''\n");
    const document = TextDocument.create(pathToFileURL(file('shop/settings.py')).toString(), 'python', 1, "SESSION_CACHE_ALIAS = '");
    const unset = completeSessionSettings(index.python, document, 0, 23, (await model.settingScope(file('shop/settings.py'))).project)!.items;
    assert.deepEqual(
      unset.map((i) => [i.label, (i.documentation as MarkupContent).value]),
      [['default', "Django's default CACHES, as the settings set none.\nBACKEND: 'django.core.cache.backends.locmem.LocMemCache'"]],
    );
    fs.writeFileSync(file('shop/settings.py'), "import environ\nenv = environ.Env()\nCACHES = env.dict('CACHES')\nSESSION_CACHE_ALIAS = ''\n");
    const unread = new ProjectModel(
      () => [root],
      () => ({ storeUrl: '', settingsModules: {} }),
    );
    assert.equal(completeSessionSettings(index.python, document, 0, 23, (await unread.settingScope(file('shop/settings.py'))).project), undefined);
  });

  it('hovers the alias with the cache it names, a password masked, or says CACHES has no such key', async () => {
    assert.equal(
      await hoverText('shop/settings.py', "'sessions'", 3),
      ['**cache** `sessions`, where the cache and cached_db engines keep sessions', '', "- BACKEND: `'django.core.cache.backends.redis.RedisCache'`", "- LOCATION: `'redis://:…@127.0.0.1:6379/1'`"].join('\n'),
    );
    assert.ok(!(await hoverText('shop/settings.py', "'sessions'", 3))!.includes('s3cret'));
    // Only the module-level assignment is the setting: a function's local is not.
    assert.equal(await hoverText('shop/settings.py', "'sessions'", 3, 1), undefined);
    assert.equal(await hoverText('shop/settings.py', 'SESSION_ENGINE', 3), undefined);
    fs.writeFileSync(file('shop/settings.py'), FILES['shop/settings.py']!.replace("SESSION_CACHE_ALIAS = 'sessions'", "SESSION_CACHE_ALIAS = 'sesions'"));
    assert.equal(
      await hoverText('shop/settings.py', "'sesions'", 3),
      ['**cache** `sesions`, where the cache and cached_db engines keep sessions', '', "Not a key of CACHES (`default`, `sessions`, `memcached`): Django's session reads fail with InvalidCacheBackendError."].join('\n'),
    );
  });

  it('reads CACHES as the editor has it, unsaved, as the settings findings do', async () => {
    const settings = file('shop/settings.py');
    const edited = (f: string) =>
      f === file('shop/base.py')
        ? FILES['shop/base.py']!.replace('    "sessions": {', '    "fresh": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "session_cache"},\n    "sessions": {')
        : f === settings
          ? FILES['shop/settings.py']!.replace("SESSION_CACHE_ALIAS = 'sessions'", "SESSION_CACHE_ALIAS = 'fresh'")
          : text(f);
    const line = edited(settings)!.split('\n').findIndex((l) => l.includes("'fresh'"));
    const hover = await hoverCacheAlias(index.python, edited, settings, { line, character: 24 }, model);
    assert.equal(
      (hover!.contents as MarkupContent).value,
      ['**cache** `fresh`, where the cache and cached_db engines keep sessions', '', "- BACKEND: `'django.core.cache.backends.db.DatabaseCache'`", "- LOCATION: `'session_cache'`"].join('\n'),
    );
    assert.deepEqual(places(cacheAliasDefinition(index.python, edited, settings, { line, character: 24 }, await model.settingScope(settings))), ['shop/base.py:2:4-11']);
  });

  it('goes from the alias to its key in CACHES, in whichever settings module binds it', async () => {
    const settings = file('shop/settings.py');
    const scope = await model.settingScope(settings);
    assert.deepEqual(places(cacheAliasDefinition(index.python, text, settings, at('shop/settings.py', "'sessions'", 3), scope)), ['shop/base.py:2:4-14']);
    const memcached = FILES['shop/settings.py']!.replace("SESSION_CACHE_ALIAS = 'sessions'", "SESSION_CACHE_ALIAS = 'memcached'");
    fs.writeFileSync(settings, memcached);
    assert.deepEqual(places(cacheAliasDefinition(index.python, text, settings, at('shop/settings.py', "'memcached'", 3), scope)), ['shop/settings.py:2:7-18']);
    // Off the value, it leaves go to definition to the other features.
    assert.equal(cacheAliasDefinition(index.python, text, settings, at('shop/settings.py', 'SESSION_CACHE_ALIAS', 3), scope), undefined);
  });
});
