import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { cli, cliProject } from './cliRun';
import { DJANGO_DATABASES, trustSqlJsWrites } from './djangoDatabases';
import { requireService, runTag } from './localServices';
import { requireDjango, runDjangoScript } from './realDjango';

const SECRET = 'stores-expiry-micros-secret-key-0123456789-abcdefghi';
const AT = '2030-01-02T03:04:05.123456+02:00';
/** AT in microseconds since the epoch. */
const AT_MICROS = Date.UTC(2030, 0, 2, 1, 4, 5) * 1000 + 123_456;

/** `expire --at` with microseconds stores all six digits in expire_date, as real Django reads it back. */
describe('interop: expire --at keeps microseconds in expire_date', function () {
  this.timeout(120_000);
  let project: string;
  let untrust: (() => void) | undefined;

  before(function () {
    requireDjango(this);
    project = cliProject({ secret: SECRET, use_tz: true, time_zone: 'UTC' });
    untrust = trustSqlJsWrites();
  });

  after(() => {
    untrust?.();
    fs.rmSync(project, { recursive: true, force: true });
  });

  for (const vendor of DJANGO_DATABASES) {
    it(vendor.title, async function () {
      if (vendor.service) {
        await requireService(this, vendor.service);
      }
      const { database, url, drop } = await vendor.setup(runTag(), project);
      try {
        const config = { engine: 'db', database, secret: SECRET, use_tz: true, time_zone: 'UTC' };
        const [, created] = runDjangoScript<[null, Array<{ key: string }>]>('stores_django.py', [JSON.stringify(config)], [{ op: 'migrate' }, { op: 'create', specs: [{ data: '{"a":1}', expiry: null }] }]);
        const key = created[0]!.key;
        const r = await cli(['--project', project, '--store', url, 'expire', key, '--at', AT]);
        assert.equal(r.code, 0, r.err);
        const [dates] = runDjangoScript<[Record<string, number>]>('stores_django.py', [JSON.stringify(config)], [{ op: 'expire_dates', keys: [key] }]);
        assert.equal(Math.round(dates[key]! * 1e6), AT_MICROS);
      } finally {
        await drop();
      }
    });
  }
});
