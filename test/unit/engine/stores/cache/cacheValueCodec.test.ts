import * as assert from 'node:assert/strict';
import { deflateSync, gzipSync } from 'node:zlib';
import { PyDatetime, PyDict, PyTimezone, pickleDumps, pyEquals } from '../../../../../engine/src/codec';
import { bytesOfRaw, decodeCacheValue, encodeCacheValue, MEMCACHED_FLAGS, rawOf } from '../../../../../engine/src/stores/cache/cacheValueCodec';
import vectors from '../../codec/django-session-vectors.json';

const extra = vectors.extra;
type HexVector = 'redis_value_django_RedisCache_py311' | 'redis_value_django_redis_5_2_py311' | 'pickle_p5_expiry_datetime_timezone_utc' | 'pickle_p5_expiry_pytz_utc_django_3_2';
const hex = (name: HexVector): Buffer => Buffer.from(extra[name], 'hex');
const fooBar = () => new PyDict([['foo', 'bar']]);

describe('cache session values', () => {
  describe('byte format pinned with the spec vectors', () => {
    it("writes Django ≥ 4 RedisCache's bytes (pickle protocol 5) for {'foo': 'bar'}", () => {
      const value = encodeCacheValue(fooBar(), { client: 'django', pickleProtocol: 5 });
      assert.equal(Buffer.from(value.bytes).toString('hex'), extra.redis_value_django_RedisCache_py311);
      assert.equal(value.flags, undefined);
    });

    it("writes django-redis 5.2's bytes (pickle protocol 4)", () => {
      const value = encodeCacheValue(fooBar(), { client: 'django-redis', pickleProtocol: 4 });
      assert.equal(Buffer.from(value.bytes).toString('hex'), extra.redis_value_django_redis_5_2_py311);
    });

    it('reads both Redis formats', () => {
      for (const name of ['redis_value_django_RedisCache_py311', 'redis_value_django_redis_5_2_py311'] as const) {
        const decoded = decodeCacheValue({ bytes: hex(name) });
        assert.ok(decoded.ok);
        assert.ok(pyEquals(decoded.session.data, fooBar()));
        assert.equal(decoded.session.compressed, false);
      }
    });

    it('reads a datetime _session_expiry with timezone.utc (Django ≥ 4) and pytz.utc (Django 3.2)', () => {
      const when = new Date(Date.UTC(2030, 0, 1));
      for (const name of ['pickle_p5_expiry_datetime_timezone_utc', 'pickle_p5_expiry_pytz_utc_django_3_2'] as const) {
        const decoded = decodeCacheValue({ bytes: hex(name) });
        assert.ok(decoded.ok, name);
        const expiry = decoded.session.data.get('_session_expiry');
        assert.ok(expiry instanceof PyDatetime);
        assert.equal(expiry.toDate().getTime(), when.getTime());
        assert.equal(decoded.session.data.get('foo'), 'bar');
      }
    });
  });

  it('marks pymemcache values with the pickle flag, and reads them only with it', () => {
    const value = encodeCacheValue(fooBar(), { client: 'pymemcache', pickleProtocol: 5 });
    assert.equal(value.flags, MEMCACHED_FLAGS.pickle);
    assert.ok(decodeCacheValue(value).ok);
    for (const flags of [MEMCACHED_FLAGS.bytes, MEMCACHED_FLAGS.text, MEMCACHED_FLAGS.int]) {
      const decoded = decodeCacheValue({ bytes: value.bytes, flags });
      assert.ok(!decoded.ok && decoded.code === 'not-a-dict', `flags ${flags}`);
    }
    const pylibmc = decodeCacheValue({ bytes: value.bytes, flags: 8 | 1 | 32 });
    assert.ok(!pylibmc.ok && /Unknown memcached flags/.test(pylibmc.message));
  });

  it('compresses like django-redis only above 15 bytes, and reads zlib and gzip back', () => {
    const big = new PyDict([['payload', 'x'.repeat(100)]]);
    const zlib = encodeCacheValue(big, { client: 'django-redis', pickleProtocol: 4, compressor: 'zlib' });
    assert.equal(zlib.bytes[0], 0x78);
    const gzip = encodeCacheValue(big, { client: 'django-redis', pickleProtocol: 4, compressor: 'gzip' });
    assert.deepEqual([...gzip.bytes.subarray(0, 2)], [0x1f, 0x8b]);
    for (const value of [zlib, gzip, { bytes: deflateSync(pickleDumps(big, 5)) }, { bytes: gzipSync(pickleDumps(big, 5)) }]) {
      const decoded = decodeCacheValue(value);
      assert.ok(decoded.ok && decoded.session.compressed && pyEquals(decoded.session.data, big));
    }
    const tiny = encodeCacheValue(new PyDict(), { client: 'django-redis', pickleProtocol: 4, compressor: 'zlib' });
    assert.equal(tiny.bytes[0], 0x80, 'short values stay uncompressed');
  });

  it('reports foreign and corrupt values as undecodable with the reason, never throwing', () => {
    const cases: [Uint8Array, RegExp][] = [
      [Buffer.from('42'), /raw integer/],
      [Buffer.from('{"foo": "bar"}'), /Not a pickle.*JSON or msgpack/],
      [Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), /lzma/],
      [Buffer.from([0x80, 0x05, 0x95, 0xff]), /./],
      [pickleDumps(['a', 'list'], 5), /not a dict/],
      [Buffer.from([0x78, 0x9c, 0x00, 0x01]), /Not a pickle/],
      [new Uint8Array(), /Not a pickle/],
    ];
    for (const [bytes, reason] of cases) {
      const decoded = decodeCacheValue({ bytes });
      assert.ok(!decoded.ok, Buffer.from(bytes).toString('hex'));
      assert.match(decoded.message, reason);
    }
    // pickle.dumps of an object whose __reduce__ returns (os.system, ('touch /tmp/x',)), protocol 4.
    const evil = Buffer.from('80049527000000000000008c05706f736978948c0673797374656d9493948c0c746f756368202f746d702f7894859452942e', 'hex');
    const refused = decodeCacheValue({ bytes: evil });
    assert.ok(!refused.ok && refused.code === 'unsupported-pickle-global', 'os.system is never called, only refused');
  });

  it("reads django-redis's JSONSerializer sessions only where the cache is configured for it", () => {
    const json = { bytes: Buffer.from('{"_auth_user_id": "1", "cart": [1, 2.5], "n": null}') };
    const read = decodeCacheValue(json, true);
    assert.ok(read.ok && read.session.signature === 'unsigned');
    assert.ok(pyEquals(read.session.data, new PyDict([['_auth_user_id', '1'], ['cart', [1n, 2.5]], ['n', null]])));
    const zipped = decodeCacheValue({ bytes: deflateSync(json.bytes) }, true);
    assert.ok(zipped.ok && zipped.session.compressed);
    assert.ok(!decodeCacheValue(json).ok, 'a pickle cache does not read JSON: Django would fail to unpickle it');
    const list = decodeCacheValue({ bytes: Buffer.from('[1]') }, true);
    assert.ok(!list.ok);
    const broken = decodeCacheValue({ bytes: Buffer.from('{"a": ') }, true);
    assert.ok(!broken.ok && broken.code === 'bad-json');
    const lzma = decodeCacheValue({ bytes: Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) });
    assert.ok(!lzma.ok && lzma.code === 'foreign-format', 'Django, configured for lzma, reads it: not corrupt');
  });

  it('keeps raw bytes exactly through the latin-1 raw form', () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    assert.deepEqual(bytesOfRaw(rawOf(bytes)), bytes);
  });

  it('round-trips a datetime expiry through our own pickle', () => {
    const data = new PyDict([['_session_expiry', PyDatetime.fromDate(new Date(Date.UTC(2031, 1, 2, 3, 4, 5)), PyTimezone.utc)]]);
    const decoded = decodeCacheValue(encodeCacheValue(data, { client: 'django', pickleProtocol: 5 }));
    assert.ok(decoded.ok && pyEquals(decoded.session.data, data));
  });

  it('reads a value left unread for its size as too large, with the size, whatever bytes stand for it', () => {
    const decoded = decodeCacheValue({ bytes: hex('redis_value_django_RedisCache_py311'), unreadBytes: 536_870_000 });
    assert.deepEqual(decoded.ok ? undefined : [decoded.code, /536870000 bytes/.test(decoded.message)], ['oversized', true]);
  });
});
