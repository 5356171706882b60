import * as assert from 'node:assert/strict';
import type { Binding } from '../../../../../engine/src/project/evaluationContext';
import type { SettingValue } from '../../../../../engine/src/project/settingValue';
import { storeDescriptorsFor } from '../../../../../engine/src/project/storeDescriptors';
import { cacheSettingsOf, type ExtendedCacheTarget } from '../../../../../engine/src/stores/cache/cacheSettings';
import { StoreError } from '../../../../../engine/src/stores/storeError';

const FILE = '/project/settings.py';
const str = (value: string): SettingValue => ({ kind: 'str', value });
const dict = (entries: Record<string, SettingValue>): SettingValue => ({ kind: 'dict', entries: new Map(Object.entries(entries)) });

/** The store and problems of settings with this SESSION_ENGINE (cache unless told) and CACHES['default']. */
function cacheStore(entry: Record<string, SettingValue>, engine = 'cache') {
  const values = new Map<string, Binding>([
    ['SESSION_ENGINE', { value: str(`django.contrib.sessions.backends.${engine}`), location: { file: FILE, line: 3, column: 0 } }],
    ['SECRET_KEY', { value: str('s'.repeat(50)), location: { file: FILE, line: 1, column: 0 } }],
    ['CACHES', { value: dict({ default: dict(entry) }), location: { file: FILE, line: 10, column: 0 } }],
  ]);
  const { stores, problems } = storeDescriptorsFor(values, FILE, '/project', undefined);
  const descriptor = stores[0]!;
  return { descriptor, target: descriptor.cache as ExtendedCacheTarget, problems };
}

const djangoRedis = (options: Record<string, SettingValue>, extra: Record<string, SettingValue> = {}) =>
  cacheStore({ BACKEND: str('django_redis.cache.RedisCache'), LOCATION: str('redis://127.0.0.1:6379/1'), OPTIONS: dict(options), ...extra });

describe('cache OPTIONS and KEY_FUNCTION from the settings', () => {
  it('writes with the COMPRESSOR and PICKLE_VERSION the settings give', () => {
    const { descriptor, problems } = djangoRedis({ COMPRESSOR: str('django_redis.compressors.gzip.GzipCompressor'), PICKLE_VERSION: { kind: 'int', value: 5 } });
    assert.deepEqual(problems, []);
    const settings = cacheSettingsOf(descriptor);
    assert.equal(settings.compressor, 'gzip');
    assert.equal(settings.pickleProtocol, 5);
    assert.equal(settings.writeRefusal, undefined);
    assert.equal(cacheSettingsOf(djangoRedis({ COMPRESSOR: str('django_redis.compressors.zlib.ZlibCompressor'), PICKLE_VERSION: { kind: 'int', value: -1 } }).descriptor).pickleProtocol, 4);
    assert.equal(cacheSettingsOf(djangoRedis({ CLIENT_CLASS: str('django_redis.client.DefaultClient'), SERIALIZER: str('django_redis.serializers.pickle.PickleSerializer') }).descriptor).writeRefusal, undefined);
  });

  it('refuses writes, with a problem at CACHES, for a value format Django would not read back', () => {
    const formats: Array<[Record<string, SettingValue>, boolean]> = [
      [{ SERIALIZER: str('django_redis.serializers.json.JSONSerializer') }, true],
      [{ SERIALIZER: str('django_redis.serializers.msgpack.MSGPackSerializer') }, false],
      [{ COMPRESSOR: str('django_redis.compressors.lzma.LzmaCompressor') }, false],
      [{ PICKLE_VERSION: { kind: 'int', value: 1 } }, true],
      [{ COMPRESSOR: { kind: 'unknown', reason: 'needs environment variable X' } }, false],
    ];
    for (const [options, readable] of formats) {
      const { descriptor, problems } = djangoRedis(options);
      assert.equal(problems.length, 1, JSON.stringify(options));
      assert.equal(problems[0]?.location?.line, 10);
      assert.match(problems[0]!.message, readable ? /sessions are read but not written/ : /sessions are neither read nor written/, JSON.stringify(options));
      assert.match(cacheSettingsOf(descriptor).writeRefusal ?? '', /could not be read by Django; nothing was written/);
    }
  });

  it('for cached_db, which writes the table and only deletes from the cache, reports only formats whose entries may not decode', () => {
    const formats: Array<[Record<string, SettingValue>, boolean]> = [
      [{ SERIALIZER: str('django_redis.serializers.json.JSONSerializer') }, true],
      [{ COMPRESSOR: str('django_redis.compressors.lzma.LzmaCompressor') }, true],
      [{ COMPRESSOR: { kind: 'unknown', reason: 'needs environment variable X' } }, true],
      [{ PICKLE_VERSION: { kind: 'int', value: 1 } }, false],
    ];
    for (const [options, reported] of formats) {
      const { descriptor, problems } = cacheStore({ BACKEND: str('django_redis.cache.RedisCache'), LOCATION: str('redis://127.0.0.1:6379/1'), OPTIONS: dict(options) }, 'cached_db');
      const cacheProblems = problems.filter((p) => p.message.startsWith('CACHES'));
      assert.equal(cacheProblems.length, reported ? 1 : 0, JSON.stringify(options));
      for (const problem of cacheProblems) {
        assert.match(problem.message, /cannot be compared with their rows for drift/);
        assert.doesNotMatch(problem.message, /not written/);
      }
      assert.equal(cacheSettingsOf(descriptor).writeRefusal, undefined);
    }
  });

  it('cannot open a cache whose keys a custom KEY_FUNCTION builds, or that ShardClient spreads over servers', () => {
    const custom = djangoRedis({}, { KEY_FUNCTION: str('myproject.cache.make_key') });
    assert.match(custom.problems[0]?.message ?? '', /KEY_FUNCTION.*myproject\.cache\.make_key.*key_pattern=/);
    assert.throws(() => cacheSettingsOf(custom.descriptor), (err) => err instanceof StoreError && err.code === 'unsupported' && /key_pattern=/.test(err.message));
    assert.deepEqual(djangoRedis({}, { KEY_FUNCTION: str('django.core.cache.backends.base.default_key_func') }).problems, []);

    const sharded = djangoRedis({ CLIENT_CLASS: str('django_redis.client.ShardClient') }, { LOCATION: { kind: 'list', items: [str('redis://a:6379/1'), str('redis://b:6379/1')] } });
    assert.match(sharded.problems[0]?.message ?? '', /ShardClient/);
    assert.throws(() => cacheSettingsOf(sharded.descriptor), (err) => err instanceof StoreError && err.code === 'unsupported');
    assert.deepEqual(djangoRedis({ CLIENT_CLASS: str('django_redis.client.ShardClient') }).problems, [], 'one server: nothing to spread');
  });
});

describe('a cache the settings do not describe statically', () => {
  const unknownValue = (variable: string): SettingValue => ({ kind: 'unknown', reason: `needs environment variable ${variable}` });
  const redis = { BACKEND: str('django_redis.cache.RedisCache'), LOCATION: str('redis://127.0.0.1:6379/1') };

  it('is not opened when KEY_PREFIX, VERSION, LOCATION or BACKEND cannot be read, and the problem says which', () => {
    const cases: Array<[Record<string, SettingValue>, RegExp]> = [
      [{ ...redis, KEY_PREFIX: unknownValue('CACHE_PREFIX') }, /CACHES\['default'\]\['KEY_PREFIX'\]: needs environment variable CACHE_PREFIX/],
      [{ ...redis, VERSION: unknownValue('CV') }, /CACHES\['default'\]\['VERSION'\]: needs environment variable CV/],
      [{ ...redis, VERSION: str('3') }, /CACHES\['default'\]\['VERSION'\] should be an integer/],
      [{ ...redis, LOCATION: unknownValue('REDIS_URL') }, /CACHES\['default'\]\['LOCATION'\]: needs environment variable REDIS_URL/],
      [{ ...redis, LOCATION: { kind: 'list', items: [str('redis://a:6379/0'), unknownValue('REDIS_B')] } }, /\['LOCATION'\]: needs environment variable REDIS_B/],
      [{ LOCATION: str('redis://127.0.0.1:6379/1') }, /CACHES\['default'\]\['BACKEND'\]: not set/],
    ];
    for (const [entry, problem] of cases) {
      const { target, problems } = cacheStore(entry);
      assert.equal(target, undefined, JSON.stringify(entry));
      assert.ok(problems.some((p) => problem.test(p.message)), problems.map((p) => p.message).join('\n'));
    }
  });

  it('takes what is given, and Django defaults for what is not set', () => {
    const { target, problems } = cacheStore({ ...redis, LOCATION: { kind: 'list', items: [str('redis://a:6379/0'), str('redis://b:6379/0')] } });
    assert.deepEqual(problems, []);
    assert.deepEqual([target.locations, target.keyPrefix, target.version], [['redis://a:6379/0', 'redis://b:6379/0'], '', 1]);
  });
});
