import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from './cliRun';
import { requireDjango, runDjangoScript } from './realDjango';

const SECRET = 'store-url-serializer-secret-key-0123456789abcdefgh';

/**
 * A project on PickleSerializer, its store named by a URL alone: serializer=pickle says what the
 * settings would, so what Django 3.2 pickled is read and an edit is pickled as Django reads it.
 */
describe('interop: serializer= in a store URL', function () {
  this.timeout(120_000);
  let dir: string;
  let config: object;
  let key: string;

  before(function () {
    requireDjango(this);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-url-serializer-'));
    const db = path.join(dir, 'db.sqlite3');
    config = { engine: 'db', database: { ENGINE: 'django.db.backends.sqlite3', NAME: db }, secret: SECRET, use_tz: true, time_zone: 'UTC', serializer: 'pickle' };
    const [, created] = runDjangoScript<[null, Array<{ key: string }>]>('stores_django.py', [JSON.stringify(config)], [{ op: 'migrate' }, { op: 'create', specs: [{ data: '{"cart":[1,2]}', expiry: null }] }]);
    key = created[0]!.key;
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('reads and writes pickled sessions with serializer=pickle, and says what is wrong without it', async () => {
    const env = { DJANGO_SECRET_KEY: SECRET };
    const url = `sqlite://${path.join(dir, 'db.sqlite3')}?use_tz=true&cookie_age=1209600`;
    const plain = await cli(['--store', url, 'show', key], env);
    assert.equal(plain.code, 4, 'a JSON store cannot read a pickle');
    const shown = await cli(['--store', `${url}&serializer=pickle`, '--json', 'show', key], env);
    assert.equal(shown.code, 0, shown.err);
    assert.deepEqual(JSON.parse(shown.out).data, { cart: [1, 2] });
    const set = await cli(['--store', `${url}&serializer=pickle`, 'set', key, 'note', '"from the CLI"'], env);
    assert.equal(set.code, 0, set.err);
    const [loaded] = runDjangoScript<[Array<{ exists: boolean; json: string }>]>('stores_django.py', [JSON.stringify(config)], [{ op: 'load', keys: [key] }]);
    assert.deepEqual(loaded[0], { key, exists: true, json: '{"cart":[1,2],"note":"from the CLI"}' });
    const wrong = await cli(['--store', `${url}&serializer=yaml`, 'show', key], env);
    assert.equal(wrong.code, 2);
    assert.match(wrong.err, /serializer=yaml is neither json nor pickle/);
  });
});
