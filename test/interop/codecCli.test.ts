import * as assert from 'node:assert/strict';
import { PyDict, pythonJsonParse, SIGNED_COOKIES_SALT } from '../../engine/src/codec';
import { normalizeTagged, tag, type Tagged } from './codecTagged';
import { cli } from './cliRun';
import { requireDjango, runDjangoScript } from './realDjango';

/** main() in this process, its output without the final newline. */
async function runMain(argv: string[], env: NodeJS.ProcessEnv) {
  const r = await cli(argv, env);
  return { code: r.code, out: r.out.trimEnd(), err: r.err.trimEnd() };
}

const KEY = 'k'.repeat(50);
const SALT = 'django.contrib.sessions.SessionStore';
const NOW = Math.floor(Date.now() / 1000);
const SESSION = '{"cart":[1,2.5,"Zo\\u00eb"],"big":12345678901234567890,"nested":{"a":null}}';

interface Result {
  error?: string;
  encoded?: string;
  decoded?: Tagged;
}

/** A CLI invocation whose output real Django reads (`case` is for codec_django.py), or the reverse. */
interface CliCheck {
  title: string;
  argv: string[];
  env?: NodeJS.ProcessEnv;
  case: Record<string, unknown>;
}

const env = { DJANGO_SECRET_KEY: KEY };
const checks: CliCheck[] = [
  { title: 'encode', argv: ['encode', SESSION], case: { op: 'decode', salt: SALT } },
  { title: 'encode --salt', argv: ['encode', SESSION, '--salt', 'django.contrib.sessions.MyStore'], case: { op: 'decode', salt: 'django.contrib.sessions.MyStore' } },
  { title: 'encode --serializer pickle', argv: ['encode', SESSION, '--serializer', 'pickle'], case: { op: 'decode', salt: SALT, serializer: 'pickle' } },
  { title: "encode --legacy, read with DEFAULT_HASHING_ALGORITHM='sha1'", argv: ['encode', SESSION, '--legacy'], case: { op: 'decode', salt: SALT, algorithm: 'sha1' } },
  { title: 'sign-cookie', argv: ['sign-cookie', SESSION], case: { op: 'loads', salt: SIGNED_COOKIES_SALT } },
  { title: "sign-cookie --algorithm sha1, read with DEFAULT_HASHING_ALGORITHM='sha1'", argv: ['sign-cookie', SESSION, '--algorithm', 'sha1'], case: { op: 'loads', salt: SIGNED_COOKIES_SALT, algorithm: 'sha1' } },
];

describe('CLI codec commands against real Django 3.2', function () {
  this.timeout(120_000);
  const outputs: string[] = [];
  let results: Result[] = [];
  let djangoEncoded: Result[] = [];

  before(async function () {
    requireDjango(this);
    for (const check of checks) {
      const r = await runMain(check.argv, check.env ?? env);
      assert.equal(r.code, 0, `${check.title}: ${r.err}`);
      outputs.push(r.out);
    }
    const wrongKey = await runMain(['encode', SESSION], { DJANGO_SECRET_KEY: 'not-the-key' });
    const cases: Record<string, unknown>[] = checks.map((check, i) => ({ secret_key: KEY, now: NOW, serializer: 'json', ...check.case, encoded: outputs[i] }));
    cases.push({ op: 'decode', secret_key: KEY, now: NOW, salt: SALT, serializer: 'json', encoded: wrongKey.out });
    results = runDjangoScript<Result[]>('codec_django.py', [], { cases });
    const data = tag(new PyDict([['user', '42']]));
    djangoEncoded = runDjangoScript<Result[]>('codec_django.py', [], {
      cases: [
        { op: 'encode', secret_key: KEY, salt: SALT, serializer: 'json', now: NOW, data },
        { op: 'encode', secret_key: KEY, salt: SALT, serializer: 'json', now: NOW, data, algorithm: 'sha1' },
        { op: 'dumps_cookie', secret_key: KEY, salt: SIGNED_COOKIES_SALT, serializer: 'json', now: NOW, data, algorithm: 'sha1' },
      ],
    });
  });

  it('Django decodes, strictly, what encode and sign-cookie print (--salt, --serializer pickle, --legacy, --algorithm sha1)', () => {
    const expected = normalizeTagged(tag(pythonJsonParse(SESSION) as PyDict));
    checks.forEach((check, i) => {
      const r = results[i];
      assert.equal(r.error, undefined, `${check.title}: Django raised ${r.error}`);
      assert.deepEqual(normalizeTagged(r.decoded ?? null), expected, check.title);
    });
  });

  it('and refuses what was signed with another key (the strict check fails where decode() would answer {})', () => {
    assert.match(results[checks.length].error ?? '', /BadSignature/);
  });

  it('decode and decode-cookie verify what Django 3.2 writes, also with DEFAULT_HASHING_ALGORITHM = sha1', async () => {
    for (const r of djangoEncoded) assert.equal(r.error, undefined);
    const [plain, legacy, sha1Cookie] = djangoEncoded.map((r) => r.encoded!);
    const ok = await runMain(['decode', plain, '--django-version', '3.2'], env);
    assert.deepEqual([ok.code, ok.out, ok.err], [0, '{"user":"42"}', 'signature valid (SECRET_KEY, sha256)']);
    const old = await runMain(['decode', legacy, '--django-version', '3.2', '--algorithm', 'sha1'], env);
    assert.deepEqual([old.code, old.err], [0, 'signature valid (SECRET_KEY, sha1, pre-3.1 format)']);
    const cookie = await runMain(['decode-cookie', sha1Cookie, '--django-version', '3.2', '--algorithm', 'sha1'], env);
    assert.deepEqual([cookie.code, cookie.out], [0, '{"user":"42"}']);
    const refused = await runMain(['decode-cookie', sha1Cookie, '--django-version', '4.2'], env);
    assert.equal(refused.code, 4);
    assert.match(refused.err, /no longer accepts sha1 signatures/);
  });
});
