import * as assert from 'node:assert/strict';
import {
  b64urlDecode,
  CodecError,
  pickleDumps,
  pickleLoads,
  decodeSessionData,
  encodeSessionData,
  pythonJsonParse,
  pythonJsonStringify,
  PyTimedelta,
  PyDatetime,
  PyTimezone,
  pyRepr,
  SIGNED_COOKIES_SALT,
  type PyDict,
  type SessionSerializer,
} from '../../engine/src/codec';
import { Session, type ExpiryValue } from '../../engine/src/session';
import { same, theirsOk, verifyGroup, type Check as DjangoCheck, type DjangoResult as Result } from './codecChecks';
import { normalizeTagged, tag, withoutFold, type Tagged } from './codecTagged';
import { SessionGenerator } from './codecSessionGenerator';
import { requireDjango, runDjangoScript } from './realDjango';

const DEFAULT_SALT = 'django.contrib.sessions.SessionStore';
const SALTS = [DEFAULT_SALT, 'django.contrib.sessions.MyStore'];
const SECRETS = ['k'.repeat(50), 'S3cr3t-ünïcødé-key-with-symbols-!@#$%^&*()-0123456789'];
/** Sessions per direction; the issue asks for at least 2,000 per run. */
const PER_DIRECTION = 2000;
const NOW = 1_700_000_000;

interface Case {
  op: 'encode' | 'decode' | 'loads' | 'loads_keys' | 'dumps_cookie' | 'b64_decode' | 'json_loads' | 'pickle_dumps' | 'pickle_loads';
  protocol?: number;
  hex?: string;
  secret_key?: string;
  salt?: string;
  serializer?: SessionSerializer;
  now?: number;
  text?: string;
  algorithm?: 'sha256' | 'sha1';
  data?: Tagged;
  encoded?: string;
  expiry?: { kind: 'none' | 'seconds' | 'timedelta' | 'datetime'; value?: number };
  expiry_checks?: boolean;
  keys?: string[];
  use_tz?: boolean;
  time_zone?: string;
}

type Check = DjangoCheck<Case>;

/** Builds every check up front so that a single Python process answers them all. */
function buildChecks(): Check[] {
  const gen = new SessionGenerator(Number(process.env.DJS_SEED ?? 20260101));
  const checks: Check[] = [];
  const stats = { compressed: 0, pickleSameBytes: 0, pickleTotal: 0 };

  for (let i = 0; i < PER_DIRECTION; i++) {
    const serializer: SessionSerializer = i % 10 < 7 ? 'json' : 'pickle';
    const secret = gen.pick(SECRETS);
    const salt = gen.pick(SALTS);
    const data = gen.session(serializer === 'pickle');
    const kinds = serializer === 'pickle' ? (['omit', 'none', 'seconds', 'timedelta', 'datetime'] as const) : (['omit', 'none', 'seconds'] as const);
    const kind = gen.pick(kinds);
    const c: Case = { op: 'encode', secret_key: secret, salt, serializer, now: NOW + i, data: tag(data) };
    if (kind !== 'omit') c.expiry = { kind, value: kind === 'none' ? undefined : gen.pick([0, 1, 300, 1209600, gen.int(-1000, 10 ** 8)]) };
    checks.push({
      group: 'django-encodes',
      case: c,
      verify(r) {
        const theirs = theirsOk(r);
        const ours = decodeSessionData(theirs.encoded!, { secretKeys: [secret], salt, serializer, requireValidSignature: true });
        assert.equal(ours.keyIndex, 0);
        same(ours.data, theirs.decoded, 'decoded');
        if (ours.compressed) stats.compressed++;
        const again = encodeSessionData(ours.data, { secretKeys: [secret], salt, serializer, nowSeconds: c.now });
        if (serializer === 'json') assert.equal(again, theirs.encoded, 'JSON re-encode is byte-identical');
        else {
          stats.pickleTotal++;
          if (again === theirs.encoded) stats.pickleSameBytes++;
        }
      },
    });
  }

  for (let i = 0; i < PER_DIRECTION; i++) {
    const serializer: SessionSerializer = i % 10 < 7 ? 'json' : 'pickle';
    const secret = gen.pick(SECRETS);
    const salt = gen.pick(SALTS);
    const session = new Session(gen.session(serializer === 'pickle'), null, {
      djangoVersion: '3.2',
      serializer,
      now: () => new Date(NOW * 1000),
    });
    const expiries: ExpiryValue[] = [null, 0, 300, gen.int(1, 10 ** 7)];
    if (serializer === 'pickle') {
      expiries.push(new PyTimedelta(0, gen.int(-5000, 10 ** 7)), new PyDatetime(2030, 1, 1, 12, 0, 0, 123456, PyTimezone.utc), new Date((NOW + 3600) * 1000));
    }
    const expiry = gen.random() < 0.3 ? undefined : gen.pick(expiries);
    if (expiry !== undefined) session.setExpiry(expiry);
    const encoded = encodeSessionData(session.data, { secretKeys: [secret], salt, serializer, compress: gen.random() < 0.9, nowSeconds: NOW });
    const expected = serializer === 'json' ? (pythonJsonParse(pythonJsonStringify(session.data)) as PyDict) : session.data;
    checks.push({
      group: 'we-encode',
      case: { op: 'decode', secret_key: secret, salt, serializer, now: NOW, encoded, expiry_checks: true },
      verify(r) {
        const theirs = theirsOk(r);
        same(expected, theirs.decoded, 'Django decoded');
        const modification = new Date(NOW * 1000);
        assert.equal(session.getExpiryAge({ modification }), theirs.expiry_age, 'get_expiry_age');
        assert.ok(Math.abs(session.getExpiryDate({ modification }).getTime() / 1000 - theirs.expiry_date!) < 0.001, 'get_expiry_date');
        assert.equal(session.getExpireAtBrowserClose(), theirs.browser_close, 'get_expire_at_browser_close');
      },
    });
  }

  for (let i = 0; i < 200; i++) {
    const serializer: SessionSerializer = i % 2 ? 'json' : 'pickle';
    const data = gen.session(serializer === 'pickle');
    const [current, old] = i % 4 < 2 ? SECRETS : [...SECRETS].reverse();
    checks.push({
      group: 'fallback-keys',
      case: { op: 'encode', secret_key: old, salt: DEFAULT_SALT, serializer, now: NOW, data: tag(data) },
      verify(r) {
        const ours = decodeSessionData(theirsOk(r).encoded!, { secretKeys: [current, old], serializer, requireValidSignature: true });
        assert.equal(ours.keyIndex, 1, 'verified by the fallback key');
        same(ours.data, r.decoded, 'decoded');
      },
    });
    const expected = serializer === 'json' ? (pythonJsonParse(pythonJsonStringify(data)) as PyDict) : data;
    checks.push({
      group: 'fallback-keys',
      case: {
        op: 'loads_keys',
        secret_key: current,
        salt: DEFAULT_SALT,
        serializer,
        now: NOW,
        keys: [current, old],
        encoded: encodeSessionData(data, { secretKeys: [old, current], serializer, nowSeconds: NOW }),
      },
      verify(r) {
        assert.equal(theirsOk(r).key_index, 1, 'Django verifies with the fallback key');
        same(expected, r.decoded, 'decoded');
      },
    });
  }

  for (let i = 0; i < 200; i++) {
    const serializer: SessionSerializer = i % 3 === 0 ? 'pickle' : 'json';
    const secret = gen.pick(SECRETS);
    const salt = gen.pick(SALTS);
    const data = gen.session(serializer === 'pickle');
    checks.push({
      group: 'legacy-sha1',
      case: { op: 'encode', secret_key: secret, salt, serializer, now: NOW, algorithm: 'sha1', data: tag(data) },
      verify(r) {
        const theirs = theirsOk(r);
        const ours = decodeSessionData(theirs.encoded!, { secretKeys: [secret], salt, serializer, requireValidSignature: true });
        assert.equal(ours.format, 'legacy');
        same(ours.data, theirs.decoded, 'decoded');
        if (serializer === 'json') assert.equal(encodeSessionData(ours.data, { secretKeys: [secret], salt, format: 'legacy' }), theirs.encoded);
      },
    });
    checks.push({
      group: 'legacy-sha1',
      case: { op: 'dumps_cookie', secret_key: secret, salt: SIGNED_COOKIES_SALT, serializer, now: NOW, algorithm: 'sha1', data: tag(data) },
      verify(r) {
        const encoded = theirsOk(r).encoded!;
        const ours = decodeSessionData(encoded, { secretKeys: [secret], salt: SIGNED_COOKIES_SALT, serializer, requireValidSignature: true });
        assert.equal(ours.algorithm, 'sha1');
        assert.equal(encoded.split(':')[2].length, 27);
        if (serializer === 'json') {
          assert.equal(encodeSessionData(ours.data, { secretKeys: [secret], salt: SIGNED_COOKIES_SALT, algorithm: 'sha1', nowSeconds: NOW }), encoded);
        }
      },
    });
    const expected = serializer === 'json' ? (pythonJsonParse(pythonJsonStringify(data)) as PyDict) : data;
    for (const format of ['legacy', 'signed'] as const) {
      checks.push({
        group: 'legacy-sha1',
        case: {
          op: 'decode',
          secret_key: secret,
          salt,
          serializer,
          now: NOW,
          encoded: encodeSessionData(data, { secretKeys: [secret], salt, serializer, format, algorithm: 'sha1', nowSeconds: NOW }),
        },
        verify(r) {
          same(expected, theirsOk(r).decoded, `Django 3.2 reads our ${format === 'legacy' ? 'legacy' : 'sha1-signed'} session`);
        },
      });
    }
  }

  // USE_TZ = False with a TIME_ZONE other than UTC: naive expiries are that zone's wall-clock time.
  // 3.2 stores a datetime expiry as a datetime object, so these sessions are pickled.
  const zones = ['Asia/Tokyo', 'America/Chicago'];
  /** 2026-03-07 18:00 UTC: a day later America/Chicago has moved its clocks forward. */
  const beforeDst = Date.UTC(2026, 2, 7, 18) / 1000;
  for (let i = 0; i < 120; i++) {
    const timeZone = zones[i % 2];
    const useTz = i % 6 === 5;
    const now = i % 4 === 1 ? beforeDst : NOW + gen.int(0, 10 ** 6);
    const secret = gen.pick(SECRETS);
    const settings = { djangoVersion: '3.2', serializer: 'pickle' as const, useTz, timeZone, now: () => new Date(now * 1000) };
    const session = new Session(gen.session(true), null, settings);
    const expiries: ExpiryValue[] = [
      86400,
      new PyTimedelta(1),
      new PyTimedelta(0, gen.int(-5000, 10 ** 7), gen.int(0, 999_999)),
      new Date((now + 3600) * 1000 + 250),
      new PyDatetime(2030, 7, 1, 12, 0, 0, 123456, new PyTimezone(new PyTimedelta(0, 7200))),
      new PyDatetime(2030, 1, 1, 12, 0, 0, 5),
    ];
    session.setExpiry(gen.pick(expiries));
    const case_: Case = { op: 'decode', secret_key: secret, salt: DEFAULT_SALT, serializer: 'pickle', now, use_tz: settings.useTz, time_zone: timeZone, expiry_checks: true };
    case_.encoded = encodeSessionData(session.data, { secretKeys: [secret], serializer: 'pickle', nowSeconds: now });
    checks.push({
      group: 'time-zones',
      case: case_,
      verify(r) {
        const theirs = theirsOk(r);
        same(session.data, theirs.decoded, 'decoded');
        const modification = new Date(now * 1000);
        const what = `${timeZone} USE_TZ=${settings.useTz} ${pyRepr(session.get('_session_expiry'))}`;
        assert.equal(theirs.expiry_age_error, undefined, what);
        assert.equal(session.getExpiryAge({ modification }), theirs.expiry_age, `get_expiry_age ${what}`);
        assert.ok(Math.abs(session.getExpiryDate({ modification }).getTime() / 1000 - theirs.expiry_date!) < 0.001, `get_expiry_date ${what}`);
      },
    });
    const kind = gen.pick(['seconds', 'timedelta', 'datetime'] as const);
    const value = i % 4 === 1 ? 86400 : gen.int(-1000, 10 ** 7);
    checks.push({
      group: 'time-zones',
      case: { op: 'encode', secret_key: secret, salt: DEFAULT_SALT, serializer: 'pickle', now, use_tz: settings.useTz, time_zone: timeZone, data: tag(gen.session(true)), expiry: { kind, value }, expiry_checks: true },
      verify(r) {
        const theirs = theirsOk(r);
        const ours = new Session(decodeSessionData(theirs.encoded!, { secretKeys: [secret], serializer: 'pickle', requireValidSignature: true }).data, null, settings);
        const modification = new Date(now * 1000);
        const what = `${timeZone} USE_TZ=${settings.useTz} ${kind} ${value}: ${pyRepr(ours.get('_session_expiry'))}`;
        assert.equal(ours.getExpiryAge({ modification }), theirs.expiry_age, `get_expiry_age ${what}`);
        assert.ok(Math.abs(ours.getExpiryDate({ modification }).getTime() / 1000 - theirs.expiry_date!) < 0.001, `get_expiry_date ${what}`);
        assert.equal(ours.getExpireAtBrowserClose(), theirs.browser_close);
      },
    });
  }

  // Django 3.2 with DEFAULT_HASHING_ALGORITHM = 'sha1' (and without fallback keys), strictly:
  // it accepts what our version-aware verification calls valid, and refuses the rest.
  for (let i = 0; i < 120; i++) {
    const serializer: SessionSerializer = i % 3 === 0 ? 'pickle' : 'json';
    const [current, old] = i % 2 ? SECRETS : [...SECRETS].reverse();
    const data = gen.session(serializer === 'pickle');
    const hashingAlgorithm = i % 4 < 2 ? ('sha1' as const) : ('sha256' as const);
    const signedBy = i % 5 === 0 ? old : current;
    const variants = [
      { salt: DEFAULT_SALT, op: 'decode' as const, format: 'legacy' as const, algorithm: 'sha1' as const },
      { salt: DEFAULT_SALT, op: 'decode' as const, format: 'signed' as const, algorithm: 'sha256' as const },
      { salt: SIGNED_COOKIES_SALT, op: 'loads' as const, format: 'signed' as const, algorithm: 'sha1' as const },
      { salt: SIGNED_COOKIES_SALT, op: 'loads' as const, format: 'signed' as const, algorithm: 'sha256' as const },
    ];
    const v = variants[i % variants.length];
    const encoded = encodeSessionData(data, { secretKeys: [signedBy], salt: v.salt, serializer, format: v.format, algorithm: v.algorithm, nowSeconds: NOW });
    const ours = decodeSessionData(encoded, { secretKeys: [current, old], salt: v.salt, serializer, djangoVersion: '3.2', hashingAlgorithm });
    checks.push({
      group: 'sha1-setting',
      case: { op: v.op, secret_key: current, salt: v.salt, serializer, now: NOW, algorithm: hashingAlgorithm, encoded },
      verify(r) {
        const what = `${v.format} ${v.algorithm} by ${signedBy === current ? 'SECRET_KEY' : 'a fallback'} read with DEFAULT_HASHING_ALGORITHM=${hashingAlgorithm}: ours ${ours.signature} ${ours.rejection?.reason ?? ''}`;
        if (ours.signature === 'valid') {
          same(ours.data, theirsOk(r).decoded, what);
        } else {
          assert.ok(r.error && /BadSignature/.test(r.error), `${what}; Django: ${r.error ?? 'accepted'}`);
          assert.ok(ours.rejection, what);
        }
      },
    });
  }
  const b64Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=.: \u00e9';
  for (let i = 0; i < 1000; i++) {
    let text = '';
    for (let n = gen.int(0, 24); n > 0; n--) text += b64Alphabet[gen.int(0, b64Alphabet.length - 1)];
    checks.push({
      group: 'differential',
      case: { op: 'b64_decode', text },
      verify(r) {
        let ours: string;
        try {
          ours = Buffer.from(b64urlDecode(text)).toString('hex');
        } catch (err) {
          assert.ok(err instanceof CodecError && err.code === 'bad-base64', String(err));
          assert.ok(r.error?.startsWith('Error:'), `${JSON.stringify(text)}: we refused, Django gave ${r.hex}`);
          return;
        }
        assert.equal(ours, r.hex, `b64_decode(${JSON.stringify(text)})`);
      },
    });
  }

  const jsonPieces = ['{', '}', '[', ']', ',', ':', '"a"', '"\\u00e9"', '"\\ud83d"', '"\\x"', '1', '-0', '01', '1.5', '1e5', '1E+2', '.5', '1.', 'NaN', '-Infinity', 'Infinity', 'nan', 'true', 'null', 'tru', ' ', '\n', '\t', '"\u0001"', '"é"', '12345678901234567890'];
  for (let i = 0; i < 1500; i++) {
    let text = '';
    if (i % 3 === 0) text = pythonJsonStringify(gen.session(false));
    else for (let n = gen.int(1, 10); n > 0; n--) text += gen.pick(jsonPieces);
    checks.push({
      group: 'differential',
      case: { op: 'json_loads', text },
      verify(r) {
        let ours;
        try {
          ours = pythonJsonParse(text);
        } catch (err) {
          assert.ok(err instanceof CodecError && err.code === 'bad-json', String(err));
          assert.ok(r.error, `${JSON.stringify(text)}: we refused what json.loads accepted`);
          return;
        }
        assert.equal(r.error, undefined, `${JSON.stringify(text)}: we accepted what json.loads refused`);
        assert.deepEqual(normalizeTagged(tag(ours)), normalizeTagged(r.decoded ?? null), JSON.stringify(text));
      },
    });
  }

  for (let i = 0; i < 600; i++) {
    const protocol = i % 6;
    const data = gen.session(true);
    checks.push({
      group: 'pickle',
      case: { op: 'pickle_dumps', data: tag(data), protocol },
      verify(r) {
        const ours = pickleLoads(Buffer.from(theirsOk(r).hex!, 'hex'));
        assert.deepEqual(normalizeTagged(tag(ours)), normalizeTagged(r.decoded ?? null), `protocol ${protocol}`);
      },
    });
    if (protocol >= 2) {
      checks.push({
        group: 'pickle',
        case: { op: 'pickle_loads', hex: Buffer.from(pickleDumps(data, protocol)).toString('hex') },
        verify(r) {
          const ours = normalizeTagged(tag(data));
          assert.deepEqual(protocol < 4 ? withoutFold(ours) : ours, normalizeTagged(theirsOk(r).decoded ?? null), `pickle.loads of our protocol ${protocol}`);
        },
      });
    }
  }

  after(() => {
    console.log(
      `    codec interop: ${stats.compressed} of ${PER_DIRECTION} Django-encoded sessions compressed; ` +
        `${stats.pickleSameBytes}/${stats.pickleTotal} pickled ones re-encoded byte-identical (memo reuse may differ)`,
    );
  });
  return checks;
}

describe('codec interop with real Django 3.2', function () {
  this.timeout(300_000);
  const checks = buildChecks();
  let results: Result[] = [];

  before(function () {
    requireDjango(this);
    results = runDjangoScript<Result[]>('codec_django.py', [], { cases: checks.map((c) => c.case) });
    assert.equal(results.length, checks.length);
  });

  for (const group of ['django-encodes', 'we-encode', 'fallback-keys', 'legacy-sha1', 'sha1-setting', 'time-zones', 'differential', 'pickle']) {
    const titles: Record<string, string> = {
      'django-encodes': `Django encodes ${PER_DIRECTION} sessions (JSON and pickle, every expiry kind); we decode them equal and re-encode JSON byte for byte`,
      'we-encode': `we encode ${PER_DIRECTION} sessions; Django decodes them equal and computes the same expiry`,
      'fallback-keys': 'fallback keys work both ways (SECRET_KEY_FALLBACKS emulated with 3.2 signing)',
      'legacy-sha1': 'legacy and sha1 sessions: Django with DEFAULT_HASHING_ALGORITHM=sha1 writes, we read; we write, 3.2 reads',
      'sha1-setting': "Django 3.2 with DEFAULT_HASHING_ALGORITHM 'sha1' or 'sha256' and no fallbacks accepts, strictly, exactly what our djangoVersion 3.2 verification calls valid",
      'time-zones': 'USE_TZ=False (and True) with TIME_ZONE Asia/Tokyo or America/Chicago: expiries we write Django reads the same, and the reverse, across a DST change too',
      pickle: 'pickles: CPython protocols 0-5 read by us, ours (2-5) read by pickle.loads, all equal',
      differential: "our base64 and JSON readers accept, refuse and return exactly what Django's b64_decode and json.loads do",
    };
    it(titles[group], () => verifyGroup(checks, results, group));
  }
});
