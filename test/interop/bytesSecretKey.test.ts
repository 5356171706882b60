import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { discoverProjects, openStore, PyDict } from '../../engine/src';
import { TRUSTING_ENV } from '../unit/engine/stores/sqlJsTrust';
import { itOnEachDjango, requireDjango, runInProject } from './realDjango';
import { djangoReadsValue, sqliteDjangoProject } from './sqliteDjangoProject';

/** A project whose SECRET_KEY is the bytes literal `key`, with its SQLite database beside the settings. */
function projectWithKey(key: string, djangoPath: string | undefined): string {
  return sqliteDjangoProject(key, ['USE_TZ = True'], djangoPath);
}

const CREATE = [
  'from django.core.management import call_command',
  'call_command("migrate", verbosity=0)',
  'from django.contrib.sessions.backends.db import SessionStore',
  's = SessionStore()',
  's["cart"] = [1, 2]',
  's.create()',
  'print(s.session_key)',
].join('\n');

/**
 * SECRET_KEY may be bytes: Django's salted_hmac takes force_bytes of it, the bytes as written.
 * A literal with escapes (`\xc3\xa9`, octal, `\n`) signs with the bytes they stand for.
 */
describe('interop: a bytes SECRET_KEY', function () {
  this.timeout(120_000);
  before(function () {
    requireDjango(this);
  });

  describe('with escapes, UTF-8 text: sessions verify and edits are read by Django', () => {
    itOnEachDjango(async (djangoPath) => {
      const root = projectWithKey(String.raw`b"bytes-key-\xc3\xa9-\101\n\\-" + b'x' * 40 + rb"\x"`, djangoPath);
      try {
        const key = runInProject(root, CREATE, djangoPath);
        const [project] = await discoverProjects(root, { env: {} });
        const store = await openStore(project!.stores[0]!, { env: TRUSTING_ENV });
        try {
          const record = await store.get(key);
          assert.ok(record?.decoded.ok);
          assert.equal(record.decoded.session.signature, 'valid');
          await store.update(key, (data: PyDict) => data.set('cart', [3n]));
        } finally {
          await store.close();
        }
        assert.equal(djangoReadsValue(root, key, 'cart', djangoPath), '[3]');
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  });

  describe('not UTF-8: the key is said to be unknown, never taken for another', () => {
    itOnEachDjango(async (djangoPath) => {
      const root = projectWithKey(String.raw`b"\xff\xfe-not-utf8-" + b"y" * 40`, djangoPath);
      try {
        runInProject(root, CREATE, djangoPath);
        const [project] = await discoverProjects(root, { env: {} });
        const keys = project!.stores[0]!.secretKeys;
        assert.deepEqual(keys.values, []);
        assert.match(keys.missing ?? '', /bytes value that is not UTF-8/);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  });
});
