import * as assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { PyDict } from '../../engine/src/codec';
import { cli } from './cliRun';
import { tag, untag, type Tagged } from './codecTagged';
import { runTag } from './localServices';
import { runDjangoScript } from './realDjango';
import { redisDjangoSuite } from './redisDjangoSuite';

const DB_INDEX = 11;
const ZONE = 'America/Los_Angeles';

/** Wall-clock time in `zone` `seconds` from now, tagged as a naive datetime (tagged_values.py). */
function naiveIn(zone: string, seconds: number): { datetime: number[]; tz: null } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(
    new Date(Date.now() + seconds * 1000),
  );
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { datetime: [part('year'), part('month'), part('day'), part('hour'), part('minute'), part('second'), 0, 0], tz: null };
}

/**
 * A Django 3.2 project without USE_TZ, in Los Angeles time, whose session ends at a naive
 * datetime an hour from now (set_expiry(datetime) pickles it as it is). Named by a cache URL
 * alone, the CLI can only assume Django's default zone, Chicago's, where that hour has passed:
 * it refuses to clear or re-save by that guess, and with the URL's settings does both right.
 */
describe('interop: a cache session whose expiry is a naive datetime, named by a URL without the time settings', function () {
  this.timeout(120_000);
  let raw: Redis;
  let prefix: string;
  let key: string;
  const cache = () => ({ BACKEND: 'django_redis.cache.RedisCache', LOCATION: `redis://127.0.0.1:6379/${DB_INDEX}`, KEY_PREFIX: prefix });
  const django = <T>(ops: object[]) => runDjangoScript<T[]>('cache_django.py', [], { config: { secret_key: 'k'.repeat(50), engine: 'cache', use_tz: false, time_zone: ZONE, cache: cache() }, ops });
  const url = () => `redis://127.0.0.1:6379/${DB_INDEX}?key_prefix=${prefix}&client=django-redis`;

  before(async function () {
    ({ raw } = await redisDjangoSuite(this, DB_INDEX));
    prefix = runTag();
    const [created] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['_auth_user_id', '9']])), expiry: naiveIn(ZONE, 3600) }]);
    key = created!.key;
  });
  after(async () => {
    const keys = (await raw?.keys(`*${prefix}*`)) ?? [];
    if (keys.length > 0) await raw.del(...keys);
    raw?.disconnect();
  });

  const loaded = () => {
    const session = django<{ exists: boolean; data: Tagged; expiry_age: number }>([{ op: 'load', key }])[0]!;
    return { ...session, data: untag(session.data) as PyDict };
  };

  it('refuses clear-expired and an edit by the assumed zone, notes it when listing, and Django keeps the session', async () => {
    const listed = await cli(['--store', url(), 'list']);
    assert.equal(listed.code, 0, listed.err);
    assert.match(listed.err, /note: .*expiry dates assume USE_TZ = False and TIME_ZONE = 'America\/Chicago'.*writing a date and clearing expired sessions are refused/);
    const cleared = await cli(['--store', url(), 'clear-expired']);
    assert.equal(cleared.code, 3, cleared.err);
    assert.match(cleared.err, /Nothing was deleted: a cache session's absolute expiry can be a date without a time zone/);
    const set = await cli(['--store', url(), 'set', key, 'cart', '1']);
    assert.equal(set.code, 3, set.err);
    assert.match(set.err, /Nothing was changed: the session's expiry is a date without a time zone/);
    const session = loaded();
    assert.equal(session.exists, true);
    assert.deepEqual([...session.data.keys()], ['_auth_user_id', '_session_expiry']);
  });

  it("with the project's time settings in the URL, clears nothing Django keeps and saves with the TTL Django would", async () => {
    const told = `${url()}&use_tz=false&time_zone=${ZONE}`;
    const cleared = await cli(['--store', told, '--json', 'clear-expired']);
    assert.equal(cleared.code, 0, cleared.err);
    assert.equal(loaded().exists, true);
    const set = await cli(['--store', told, 'set', key, 'cart', '1']);
    assert.equal(set.code, 0, set.err);
    const session = loaded();
    assert.equal(session.data.get('cart'), 1n);
    assert.ok(session.expiry_age > 3500 && session.expiry_age <= 3600, `Django's expiry age ${session.expiry_age}`);
    const ttl = await raw.ttl((await raw.keys(`*${prefix}*`))[0]!);
    assert.ok(ttl > 3500 && ttl <= 3600, `TTL ${ttl}`);
  });
});
