import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import {
  decodeSessionData,
  encodeSessionData,
  PyDatetime,
  PyDict,
  PyTimedelta,
  PyTimezone,
  pyRepr,
  pythonJsonParse,
  pythonJsonStringify,
  type DecodeOptions,
} from '../../engine/src/codec';
import { Session, type ExpiryValue, type SessionSettings } from '../../engine/src/session';
import { same, theirsOk, verifyGroup, type Check, type DjangoResult as Result } from './codecChecks';
import { tag } from './codecTagged';
import { SessionGenerator } from './codecSessionGenerator';
import { PYTHON, requireDjango52 } from './realDjango';

const SALT = 'django.contrib.sessions.SessionStore';
const CURRENT = 'new-key-'.repeat(7);
const OLD = 'S3cr3t-ünïcødé-old-key-!@#$%^&*()-0123456789';
const NOW = 1_700_000_000;
const ZONES = ['UTC', 'Asia/Tokyo', 'America/Chicago'];

function runDjango52(dir: string, cases: unknown[]): Result[] {
  const r = spawnSync(PYTHON, [path.join(__dirname, 'python', 'codec_django.py')], {
    input: JSON.stringify({ cases }),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, PYTHONPATH: dir },
  });
  if (r.status !== 0) throw new Error(`codec_django.py under Django 5.2 failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Result[];
}

function buildChecks(): Check[] {
  const gen = new SessionGenerator(Number(process.env.DJS_SEED ?? 20260521));
  const checks: Check[] = [];

  for (let i = 0; i < 300; i++) {
    const settings: SessionSettings = { djangoVersion: '5.2', useTz: i % 3 !== 0, timeZone: ZONES[Math.floor(i / 3) % ZONES.length], now: () => new Date(NOW * 1000) };
    const where = { use_tz: settings.useTz, time_zone: settings.timeZone };
    const session = new Session(gen.session(false), null, settings);
    const expiries: ExpiryValue[] = [
      300,
      0,
      new PyTimedelta(0, gen.int(-5000, 10 ** 7), gen.int(0, 999_999)),
      new Date((NOW + gen.int(1, 10 ** 6)) * 1000 + 250),
      new PyDatetime(2030, 7, 1, 12, 0, 0, 123456, new PyTimezone(new PyTimedelta(0, -18000))),
      new PyDatetime(2030, 1, 1, 12, 0, 0, 5),
    ];
    session.setExpiry(gen.pick(expiries));
    const encoded = encodeSessionData(session.data, { secretKeys: [CURRENT], nowSeconds: NOW });
    const expected = pythonJsonParse(pythonJsonStringify(session.data)) as PyDict;
    checks.push({
      group: 'iso-expiry',
      case: { op: 'decode', secret_key: CURRENT, salt: SALT, serializer: 'json', now: NOW, encoded, expiry_checks: true, ...where },
      verify(r) {
        const theirs = theirsOk(r);
        const what = `${settings.timeZone} USE_TZ=${settings.useTz} ${pyRepr(session.get('_session_expiry'))}`;
        same(expected, theirs.decoded, what);
        const modification = new Date(NOW * 1000);
        assert.equal(theirs.expiry_age_error, undefined, what);
        assert.equal(session.getExpiryAge({ modification }), theirs.expiry_age, `get_expiry_age ${what}`);
        assert.ok(Math.abs(session.getExpiryDate({ modification }).getTime() / 1000 - theirs.expiry_date!) < 0.001, `get_expiry_date ${what}`);
        assert.equal(session.getExpireAtBrowserClose(), theirs.browser_close, what);
      },
    });

    const kind = gen.pick(['seconds', 'timedelta', 'datetime'] as const);
    const value = gen.int(-1000, 10 ** 7);
    checks.push({
      group: 'iso-expiry',
      case: { op: 'encode', secret_key: CURRENT, salt: SALT, serializer: 'json', now: NOW, data: tag(gen.session(false)), expiry: { kind, value }, expiry_checks: true, ...where },
      verify(r) {
        const theirs = theirsOk(r);
        const ours = new Session(decodeSessionData(theirs.encoded!, { secretKeys: [CURRENT], djangoVersion: '5.2', requireValidSignature: true }).data, null, settings);
        const stored = ours.get('_session_expiry');
        const what = `${settings.timeZone} USE_TZ=${settings.useTz} ${kind} ${value}: ${pyRepr(stored)}`;
        const modification = new Date(NOW * 1000);
        assert.equal(ours.getExpiryAge({ modification }), theirs.expiry_age, `get_expiry_age ${what}`);
        assert.ok(Math.abs(ours.getExpiryDate({ modification }).getTime() / 1000 - theirs.expiry_date!) < 0.001, `get_expiry_date ${what}`);
        const mine = new Session(new PyDict(), null, settings);
        mine.setExpiry(kind === 'seconds' ? value : new PyTimedelta(0, value));
        assert.equal(mine.get('_session_expiry'), kind === 'seconds' ? BigInt(value) : stored, `we write the same _session_expiry: ${what}`);
      },
    });
  }

  for (let i = 0; i < 100; i++) {
    const serializer = i % 4 === 0 ? ('pickle' as const) : ('json' as const);
    const data = gen.session(serializer === 'pickle');
    const expected = serializer === 'json' ? (pythonJsonParse(pythonJsonStringify(data)) as PyDict) : data;
    const ours = { secretKeys: [CURRENT, OLD], serializer, djangoVersion: '5.2' } satisfies DecodeOptions;
    const byOld = encodeSessionData(data, { secretKeys: [OLD], serializer, nowSeconds: NOW });
    checks.push({
      group: 'fallbacks',
      case: { op: 'decode', secret_key: CURRENT, fallback_keys: [OLD], salt: SALT, serializer, now: NOW, encoded: byOld },
      verify(r) {
        same(expected, theirsOk(r).decoded, 'Django 5.2 reads what we signed with its fallback key');
        const d = decodeSessionData(byOld, ours);
        assert.deepEqual([d.signature, d.keyIndex], ['valid', 1]);
      },
    });
    checks.push({
      group: 'fallbacks',
      case: { op: 'decode', secret_key: CURRENT, salt: SALT, serializer, now: NOW, encoded: byOld },
      verify(r) {
        assert.match(r.error ?? '', /BadSignature/, 'without SECRET_KEY_FALLBACKS Django 5.2 refuses it');
        assert.equal(decodeSessionData(byOld, { ...ours, secretKeys: [CURRENT] }).signature, 'invalid');
      },
    });
    checks.push({
      group: 'fallbacks',
      case: { op: 'encode', secret_key: OLD, fallback_keys: [CURRENT], salt: SALT, serializer, now: NOW, data: tag(data) },
      verify(r) {
        const d = decodeSessionData(theirsOk(r).encoded!, { ...ours, requireValidSignature: true });
        assert.equal(d.keyIndex, 1, 'Django 5.2 signs with SECRET_KEY, which we hold as a fallback');
        same(d.data, r.decoded, 'decoded');
      },
    });
  }

  for (let i = 0; i < 120; i++) {
    const serializer = i % 4 === 1 ? ('pickle' as const) : ('json' as const);
    const data = gen.session(serializer === 'pickle');
    const form = (['legacy', 'sha1', 'sha256'] as const)[i % 3];
    const salt = i % 2 ? SALT : 'django.contrib.sessions.backends.signed_cookies';
    const encoded = encodeSessionData(data, { secretKeys: [CURRENT], salt, serializer, format: form === 'legacy' ? 'legacy' : 'signed', algorithm: form === 'sha256' ? 'sha256' : 'sha1', nowSeconds: NOW });
    checks.push({
      group: 'refusals',
      case: { op: salt === SALT ? 'decode' : 'loads', secret_key: CURRENT, salt, serializer, now: NOW, encoded },
      verify(r) {
        const for52 = decodeSessionData(encoded, { secretKeys: [CURRENT], salt, serializer, djangoVersion: '5.2' });
        const for32 = decodeSessionData(encoded, { secretKeys: [CURRENT], salt, serializer, djangoVersion: '3.2' });
        assert.equal(for32.signature, 'valid', `${form}: Django 3.2 reads it`);
        if (form === 'sha256') {
          assert.equal(r.error, undefined, 'Django 5.2 reads sha256 data');
          assert.equal(for52.signature, 'valid');
        } else {
          assert.match(r.error ?? '', /BadSignature/, `Django 5.2 refuses ${form} data`);
          assert.equal(for52.signature, 'invalid');
          assert.equal(for52.rejection?.reason, form === 'legacy' ? 'legacy-format' : 'sha1-signature');
        }
      },
    });
  }
  return checks;
}

describe('codec interop with real Django 5.2 (.cache/django52)', function () {
  this.timeout(300_000);
  const checks = buildChecks();
  let results: Result[] = [];

  before(function () {
    const dir = requireDjango52(this);
    results = runDjango52(dir, checks.map((c) => c.case));
    assert.equal(results.length, checks.length);
  });

  const titles: Record<string, string> = {
    'iso-expiry': 'ISO-string expiries (USE_TZ on and off, TIME_ZONE UTC, Asia/Tokyo, America/Chicago): what we write Django 5.2 reads the same, and the reverse, with the same stored string',
    fallbacks: 'SECRET_KEY_FALLBACKS both ways: 5.2 reads what we sign with its fallback key (and refuses it without), we verify what 5.2 signs with a key we hold as a fallback',
    refusals: 'Django 5.2 refuses legacy and sha1 data, and accepts sha256, exactly as djangoVersion 5.2 verification says (3.2 accepts all three)',
  };
  for (const [group, title] of Object.entries(titles)) {
    it(title, () => verifyGroup(checks, results, group));
  }
});
