import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { discoverProjects, lintProject, openStore, PyDict } from '../../engine/src';
import { TRUSTING_ENV } from '../unit/engine/stores/sqlJsTrust';
import { itOnEachDjango, requireDjango, runInProject } from './realDjango';
import { djangoReadsValue, sqliteDjangoProject } from './sqliteDjangoProject';

const SECRET = `serializer-alias-${'s'.repeat(40)}`;

/** The paths that import Django's own JSON serializer, besides the documented one. */
const ALIASES = ['django.core.signing.JSONSerializer', 'django.contrib.sessions.serializers.BaseJSONSerializer'];

/**
 * SESSION_SERIALIZER may name Django's JSON serializer by another importable path
 * (django.core.signing.JSONSerializer is the class the sessions' JSONSerializer is); such a
 * project's sessions are Django's JSON sessions, to read, write and lint as those.
 */
describe("interop: SESSION_SERIALIZER naming Django's JSONSerializer by another path", function () {
  this.timeout(120_000);
  before(function () {
    requireDjango(this);
  });

  for (const alias of ALIASES) {
    describe(alias, () => {
      itOnEachDjango(async (djangoPath) => {
        const root = sqliteDjangoProject(JSON.stringify(SECRET), [`SESSION_SERIALIZER = ${JSON.stringify(alias)}`, 'USE_TZ = True'], djangoPath);
        try {
          const created = [
            'from django.core.management import call_command',
            'call_command("migrate", verbosity=0)',
            'from django.core import signing',
            'from django.contrib.sessions.backends.db import SessionStore',
            's = SessionStore()',
            'assert s.serializer is signing.JSONSerializer, s.serializer',
            's["cart"] = [1, 2]',
            's.create()',
            'print(s.session_key)',
          ];
          const key = runInProject(root, created.join('\n'), djangoPath);
          assert.deepEqual(
            (await lintProject(root, { env: {} })).filter((d) => d.code === 'DS203'),
            [],
          );
          const [project] = await discoverProjects(root, { env: {} });
          const descriptor = project!.stores[0]!;
          assert.equal(descriptor.serializer, 'json');
          const store = await openStore(descriptor, { env: TRUSTING_ENV });
          try {
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
  }
});
