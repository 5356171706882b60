import * as assert from 'node:assert/strict';
import { cli } from './cliRun';
import { MARIADB, mysqlAdmin, pgAdmin, POSTGRES, requireService, runTag } from './localServices';
import { requireDjango, runDjangoScript } from './realDjango';

const SECRET = 'stores-permissions-secret-key-0123456789-abcdefghij';

/** What each command printed on stderr: one line, no stack trace. */
function oneLine(err: string): string {
  const lines = err.trim().split('\n');
  assert.equal(lines.length, 1, err);
  assert.doesNotMatch(err, /\n\s+at /);
  return lines[0]!;
}

/**
 * A database user with fewer privileges than Django's own (a read-only or replica user, as CI
 * jobs and dashboards often have): each refusal is one line naming the grant that fixes it, and
 * the session stays as Django wrote it.
 */
describe('interop: a database user without the privileges a command needs', function () {
  this.timeout(120_000);

  before(function () {
    requireDjango(this);
  });

  it('PostgreSQL: a change by a SELECT-only user, then any read once SELECT is revoked', async function () {
    await requireService(this, POSTGRES);
    const name = runTag();
    const role = `${name}_ro`;
    await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    try {
      const config = { engine: 'db', database: { ENGINE: 'django.db.backends.postgresql', NAME: name, USER: 'root', HOST: '127.0.0.1', PORT: 5432 }, secret: SECRET, use_tz: true, time_zone: 'UTC' };
      const script = (ops: object[]) => runDjangoScript<unknown[]>('stores_django.py', [JSON.stringify(config)], ops);
      const [, created] = script([{ op: 'migrate' }, { op: 'create', specs: [{ data: '{"a":1}' }] }]) as [null, Array<{ key: string }>];
      const key = created[0]!.key;
      await pgAdmin((c) => c.query(`CREATE ROLE ${role} LOGIN`));
      // Table privileges are granted inside the database that holds the table.
      const { Client } = await import('pg');
      const inDb = new Client({ host: '127.0.0.1', user: 'root', database: name });
      await inDb.connect();
      try {
        await inDb.query(`GRANT SELECT ON django_session TO ${role}`);
        const url = `postgres://${role}@127.0.0.1:5432/${name}?use_tz=true&cookie_age=1209600`;
        const env = { DJANGO_SECRET_KEY: SECRET };
        assert.equal((await cli(['--store', url, 'count'], env)).out.trim(), '1', 'it may read');
        const set = await cli(['--store', url, 'set', key, 'cart', '[1]'], env);
        assert.equal(set.code, 3, set.err);
        assert.match(oneLine(set.err), /^django-sessions: The database user may not change django_session \(permission denied for table django_session\)\. Grant it SELECT, INSERT, UPDATE and DELETE on the table, as Django's own database user has, or connect as that user\.$/);
        const flush = await cli(['--store', url, 'flush', key], env);
        assert.equal(flush.code, 3, flush.err);
        assert.match(oneLine(flush.err), /may not change django_session/);
        assert.deepEqual(script([{ op: 'load', keys: [key] }])[0], [{ key, exists: true, json: '{"a":1}' }]);
        await inDb.query(`REVOKE SELECT ON django_session FROM ${role}`);
        const count = await cli(['--store', url, 'count'], env);
        assert.equal(count.code, 3, count.err);
        assert.match(oneLine(count.err), /^django-sessions: The database user may not read django_session \(permission denied for table django_session\)\. Grant it SELECT on the table/);
      } finally {
        await inDb.query(`REVOKE ALL ON django_session FROM ${role}`).catch(() => undefined);
        await inDb.end();
      }
    } finally {
      await pgAdmin(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.query(`DROP ROLE IF EXISTS ${role}`);
      });
    }
  });

  it('MariaDB: a change by a SELECT-only user', async function () {
    await requireService(this, MARIADB);
    const name = runTag();
    const user = `${name}_ro`;
    await mysqlAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    try {
      const config = { engine: 'db', database: { ENGINE: 'django.db.backends.mysql', NAME: name, USER: 'root', HOST: '127.0.0.1', PORT: 3306 }, secret: SECRET, use_tz: true, time_zone: 'UTC' };
      const script = (ops: object[]) => runDjangoScript<unknown[]>('stores_django.py', [JSON.stringify(config)], ops);
      const [, created] = script([{ op: 'migrate' }, { op: 'create', specs: [{ data: '{"a":1}' }] }]) as [null, Array<{ key: string }>];
      const key = created[0]!.key;
      await mysqlAdmin(async (c) => {
        await c.query(`CREATE USER '${user}'@'%'`);
        await c.query(`GRANT SELECT ON ${name}.django_session TO '${user}'@'%'`);
      });
      const url = `mysql://${user}@127.0.0.1:3306/${name}?use_tz=true&cookie_age=1209600`;
      const env = { DJANGO_SECRET_KEY: SECRET };
      for (const command of [['set', key, 'cart', '[1]'], ['flush', key], ['clear-expired']]) {
        const r = await cli(['--store', url, ...command], env);
        assert.equal(r.code, 3, `${command[0]}: ${r.err}`);
        assert.match(oneLine(r.err), /^django-sessions: The database user may not change django_session \(.*command denied to user.*\)\. Grant it SELECT, INSERT, UPDATE and DELETE/, command[0]);
      }
      assert.deepEqual(script([{ op: 'load', keys: [key] }])[0], [{ key, exists: true, json: '{"a":1}' }]);
    } finally {
      await mysqlAdmin(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
        await c.query(`DROP USER IF EXISTS '${user}'@'%'`);
      });
    }
  });
});
