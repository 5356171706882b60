import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from './cliRun';
import { DJANGO_DATABASES, trustSqlJsWrites } from './djangoDatabases';
import { requireService, runTag } from './localServices';
import { requireDjango, runDjangoScript } from './realDjango';

const SECRET = 'stores-assumed-time-secret-key-0123456789-abcdefghij';
/** West of the America/Chicago a URL without settings assumes: its naive dates read as already past. */
const ZONE = 'America/Los_Angeles';
const GIVEN = `use_tz=false&time_zone=${encodeURIComponent(ZONE)}`;

/**
 * A store URL without the project's settings assumes USE_TZ = False and TIME_ZONE = 'America/Chicago'.
 * Real Django with USE_TZ = False in Los Angeles keeps naive local dates in SQLite and MySQL, so
 * under the assumption an hour-long session reads as expired: clear-expired must refuse there
 * until the URL says the settings, and still clear PostgreSQL, whose timestamptz is unambiguous.
 * A change there would write an expire_date hours off just as well: refused too, until the URL says.
 */
describe('interop: clear-expired with time settings assumed for a store URL', function () {
  this.timeout(120_000);
  let dir: string;
  let untrust: (() => void) | undefined;

  before(function () {
    requireDjango(this);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-assumed-time-'));
    untrust = trustSqlJsWrites();
  });

  after(() => {
    untrust?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const vendor of DJANGO_DATABASES) {
    describe(vendor.title, function () {
      const name = runTag();
      let url: string;
      let drop: (() => Promise<void>) | undefined;
      let config: object;
      let active: string;
      const keys = () => runDjangoScript<[string[]]>('stores_django.py', [JSON.stringify(config)], [{ op: 'keys' }])[0];

      before(async function () {
        if (vendor.service) {
          await requireService(this, vendor.service);
        }
        const made = await vendor.setup(name, dir);
        ({ url, drop } = made);
        config = { engine: 'db', database: made.database, secret: SECRET, use_tz: false, time_zone: ZONE };
        const specs = [
          { data: '{"a":1}', expiry: 3600 },
          { data: '{"b":2}', expiry: -60 },
        ];
        const [, created] = runDjangoScript<[null, Array<{ key: string }>]>('stores_django.py', [JSON.stringify(config)], [{ op: 'migrate' }, { op: 'create', specs }]);
        active = created[0]!.key;
      });

      after(async () => drop?.());

      if (vendor.title === 'PostgreSQL') {
        it('clears only the expired session: timestamptz does not depend on the settings', async () => {
          const cleared = await cli(['--store', url, 'clear-expired']);
          assert.equal(cleared.code, 0, cleared.err);
          assert.equal(cleared.out.trim(), '1 expired session deleted');
          assert.deepEqual(keys(), [active]);
        });
        return;
      }

      it('refuses, deleting nothing, and clears as Django would once the URL gives the settings', async () => {
        const refused = await cli(['--store', url, 'clear-expired']);
        assert.equal(refused.code, 3, refused.err);
        assert.match(refused.err, /Nothing was deleted: .* depends on USE_TZ and TIME_ZONE/);
        assert.equal(keys().length, 2, 'the active and the expired session are both still there');
        const cleared = await cli(['--store', `${url}?${GIVEN}`, 'clear-expired']);
        assert.equal(cleared.code, 0, cleared.err);
        assert.equal(cleared.out.trim(), '1 expired session deleted');
        assert.deepEqual(keys(), [active]);
      });

      it("refuses a change too, whose expire_date would end the session for Django, and makes it as Django would once the URL gives the settings", async () => {
        const load = () => runDjangoScript<[Array<{ exists: boolean; json: string | null }>]>('stores_django.py', [JSON.stringify(config)], [{ op: 'load', keys: [active] }])[0][0]!;
        const env = { DJANGO_SECRET_KEY: SECRET };
        const refused = await cli(['--store', url, 'set', active, 'cart', '[1, 2]'], env);
        assert.equal(refused.code, 3, refused.err);
        assert.match(refused.err, /Nothing was changed: .* the expiry date written depends on USE_TZ and TIME_ZONE/);
        assert.deepEqual(load(), { key: active, exists: true, json: '{"a":1,"_session_expiry":3600}' }, 'unchanged, and still active for Django');
        const changed = await cli(['--store', `${url}?${GIVEN}`, 'set', active, 'cart', '[1, 2]'], env);
        assert.equal(changed.code, 0, changed.err);
        assert.deepEqual(load(), { key: active, exists: true, json: '{"a":1,"_session_expiry":3600,"cart":[1,2]}' }, 'changed, and still active for Django');
      });
    });
  }
});
