import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  decodeSessionData,
  encodeSessionData,
  pickleDumps,
  pickleLoads,
  pyRepr,
  pythonJsonParse,
  pythonJsonStringify,
  saltedHmac,
  signerSignature,
  type SessionSerializer,
} from '../../../../engine/src/codec';

interface Vector {
  name: string;
  salt: string;
  encoded: string;
  decoded: unknown;
}

/** A copy of ../shared/reference/django-session-vectors.json (generated with real Django 3.2.25 / 5.2.17). */
const VECTORS_FILE = path.join(__dirname, 'django-session-vectors.json');
const file = JSON.parse(fs.readFileSync(VECTORS_FILE, 'utf8')) as {
  meta: { SECRET_KEY: string };
  vectors: Vector[];
  extra: Record<string, string | { result: string }>;
};
const KEY = file.meta.SECRET_KEY;
const NOW = 1_700_000_000;

/** What the vector's `decoded` field says, as the JSON text Python would write for it. */
function expectedJson(v: Vector): string | undefined {
  if (v.name.startsWith('pickle')) return undefined;
  if (typeof v.decoded === 'string') return v.decoded;
  return pythonJsonStringify(pythonJsonParse(JSON.stringify(v.decoded)));
}

describe('codec: Django test vectors (django-session-vectors.json)', () => {
  for (const v of file.vectors) {
    const legacy = v.salt.startsWith('(legacy)');
    const salt = legacy ? undefined : v.salt;
    const serializer: SessionSerializer = v.name.startsWith('pickle') ? 'pickle' : 'json';

    describe(v.name, () => {
      it('decodes with a valid signature', () => {
        const d = decodeSessionData(v.encoded, { secretKeys: [KEY], salt, serializer, requireValidSignature: true });
        assert.equal(d.signature, 'valid');
        assert.equal(d.keyIndex, 0);
        assert.equal(d.format, legacy ? 'legacy' : 'signed');
        assert.equal(d.compressed, v.encoded.startsWith('.'));
        const json = expectedJson(v);
        if (json !== undefined) assert.equal(pythonJsonStringify(d.data), json);
        else assert.equal(pyRepr(d.data), "{'_session_expiry': datetime.datetime(2030, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'foo': 'bar'}");
        if (!legacy) assert.equal(d.signedAt?.getTime(), NOW * 1000);
      });

      it('re-encodes to the same bytes Django wrote', () => {
        const d = decodeSessionData(v.encoded, { secretKeys: [KEY], salt, serializer });
        const again = encodeSessionData(d.data, {
          secretKeys: [KEY],
          salt,
          serializer,
          nowSeconds: NOW,
          algorithm: d.algorithm,
          format: d.format,
        });
        assert.equal(again, v.encoded);
      });

      it('decodes without a key, unverified', () => {
        const d = decodeSessionData(v.encoded, { secretKeys: [], salt, serializer });
        assert.equal(d.signature, 'unverified');
        assert.equal(d.keyIndex, undefined);
      });

      it('reports a wrong key as invalid, or throws when a valid signature is required', () => {
        const d = decodeSessionData(v.encoded, { secretKeys: ['wrong'], salt, serializer });
        assert.equal(d.signature, 'invalid');
        assert.throws(
          () => decodeSessionData(v.encoded, { secretKeys: ['wrong'], salt, serializer, requireValidSignature: true }),
          { name: 'CodecError', code: 'bad-signature' },
        );
      });

      it('verifies with the secret as a fallback key', () => {
        const d = decodeSessionData(v.encoded, { secretKeys: ['new-key', 'other', KEY], salt, serializer });
        assert.equal(d.signature, 'valid');
        assert.equal(d.keyIndex, 2);
      });
    });
  }

  it('rejects a subclass salt with the built-in salt, and the reverse', () => {
    const myStore = file.vectors.find((v) => v.name === 'custom_class_MyStore')!;
    assert.equal(decodeSessionData(myStore.encoded, { secretKeys: [KEY] }).signature, 'invalid');
    const plain = file.vectors.find((v) => v.name === 'plain_json')!;
    assert.equal(decodeSessionData(plain.encoded, { secretKeys: [KEY], salt: 'django.contrib.sessions.MyStore' }).signature, 'invalid');
  });

  it('enforces max age for signed cookies', () => {
    const cookie = file.vectors.find((v) => v.name === 'signed_cookie_value')!;
    const salt = cookie.salt;
    const ok = decodeSessionData(cookie.encoded, { secretKeys: [KEY], salt, maxAgeSeconds: 100, nowSeconds: NOW + 100 });
    assert.equal(ok.signature, 'valid');
    assert.throws(() => decodeSessionData(cookie.encoded, { secretKeys: [KEY], salt, maxAgeSeconds: 100, nowSeconds: NOW + 101 }), {
      code: 'expired',
    });
  });

  it('writes the sha1 signed-cookie form of Django 3.2 with DEFAULT_HASHING_ALGORITHM=sha1', () => {
    const cookie = decodeSessionData(file.extra.dha_sha1_signed_cookie_3_2 as string, {
      secretKeys: [KEY],
      salt: 'django.contrib.sessions.backends.signed_cookies',
    });
    assert.equal(cookie.algorithm, 'sha1');
    assert.equal(
      encodeSessionData(cookie.data, { secretKeys: [KEY], salt: 'django.contrib.sessions.backends.signed_cookies', algorithm: 'sha1', nowSeconds: NOW }),
      file.extra.dha_sha1_signed_cookie_3_2,
    );
  });

  it("matches Django's own Signer test vectors", () => {
    assert.equal(`xyz/${signerSignature('somesalt', 'xyz', 'secret', 'sha1')}`, (file.extra.signer_test_vector_from_django_tests as { result: string }).result);
    assert.equal(`xyz/${signerSignature('somesalt', 'xyz', 'secret', 'sha256')}`, (file.extra.signer_sha256_same_inputs as { result: string }).result);
  });

  it('derives the documented HMAC for the worked example', () => {
    const mac = saltedHmac('django.contrib.sessions.SessionStoresigner', file.extra.hmac_input_plain_json as string, KEY, 'sha256');
    assert.equal(mac.toString('hex'), file.extra.hmac_hex_plain_json);
  });

  for (const name of [
    'pickle_p5_expiry_datetime_timezone_utc',
    'pickle_p5_expiry_pytz_utc_django_3_2',
    'redis_value_django_RedisCache_py311',
    'redis_value_django_redis_5_2_py311',
  ]) {
    it(`reads and rewrites the pickle ${name} byte for byte`, () => {
      const bytes = Buffer.from(file.extra[name] as string, 'hex');
      const value = pickleLoads(bytes);
      assert.equal(Buffer.from(pickleDumps(value, bytes[1])).toString('hex'), file.extra[name]);
    });
  }

  it('shows pytz.utc as Django 3.2 pickled it', () => {
    const value = pickleLoads(Buffer.from(file.extra.pickle_p5_expiry_pytz_utc_django_3_2 as string, 'hex'));
    assert.equal(pyRepr(value), "{'_session_expiry': datetime.datetime(2030, 1, 1, 0, 0, tzinfo=<UTC>), 'foo': 'bar'}");
  });
});
