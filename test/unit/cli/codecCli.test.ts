import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PyDict, signSessionCookie } from '../../../engine/src';
import { cli as runCli } from '../../interop/cliRun';
import { tempProject } from '../engine/project/tempProject';

const K = 'k'.repeat(50);
const OLD = 'old-key-'.repeat(7);
const ROOT = path.resolve(__dirname, '../../..');

/** main() in this process, its output without the final newline. */
async function cli(argv: string[], env: NodeJS.ProcessEnv = { DJANGO_SECRET_KEY: K }) {
  const r = await runCli(argv, env);
  return { code: r.code, out: r.out.trimEnd(), err: r.err.trimEnd() };
}

/** Design §3: errors are one line on stderr that names the cause. */
function oneLine(err: string): void {
  assert.equal(err.split('\n').length, 1, err);
  assert.match(err, /^django-sessions: /);
}

describe('CLI codec commands end to end (main)', () => {
  it('decode prints the data on stdout and the verdict on stderr, exit 0', async () => {
    const enc = await cli(['encode', '{"cart":[1,2],"n":12345678901234567890}']);
    assert.equal(enc.code, 0);
    assert.equal(enc.err, '');
    const dec = await cli(['decode', enc.out]);
    assert.equal(dec.code, 0);
    assert.equal(dec.out, '{"cart":[1,2],"n":12345678901234567890}');
    assert.equal(dec.err, 'signature valid (SECRET_KEY, sha256)');
  });

  it('--salt: a subclass salt signs and verifies; the default salt then fails with exit 4', async () => {
    const enc = await cli(['encode', '{"a":1}', '--salt', 'django.contrib.sessions.MyStore']);
    assert.equal((await cli(['decode', enc.out, '--salt', 'django.contrib.sessions.MyStore'])).code, 0);
    const wrong = await cli(['decode', enc.out, '--json']);
    assert.equal(wrong.code, 4);
    assert.equal(JSON.parse(wrong.out).signature, 'invalid');
    oneLine(wrong.err);
    assert.match(wrong.err, /salt is wrong \(--salt\)/);
  });

  it('--legacy writes the pre-3.1 format, which 3.2 reads and --django-version 5.2 refuses with the reason', async () => {
    const enc = await cli(['encode', '{"a":1}', '--legacy']);
    assert.match(enc.out, /^[A-Za-z0-9+/]+=*$/);
    const old = await cli(['decode', enc.out, '--django-version', '3.2']);
    assert.equal(old.code, 0);
    assert.equal(old.err, 'signature valid (SECRET_KEY, sha1, pre-3.1 format)');
    const modern = await cli(['decode', enc.out, '--django-version', '5.2']);
    assert.equal(modern.code, 4);
    assert.match(modern.err, /^signature INVALID for Django: Django 5\.2 no longer reads the pre-3\.1 session format/);
    const json = await cli(['decode', enc.out, '--django-version', '5.2', '--json']);
    assert.equal(json.code, 4);
    const doc = JSON.parse(json.out);
    assert.equal(doc.rejection.reason, 'legacy-format');
    assert.equal(doc.django_version, '5.2');
    assert.equal(doc.key_index, 0);
    oneLine(json.err);
    assert.match(json.err, /Django would refuse this data/);
    const refused = await cli(['encode', '{"a":1}', '--legacy', '--django-version', '4.2']);
    assert.equal(refused.code, 2);
    oneLine(refused.err);
  });

  it('--serializer pickle round-trips, and reading a pickle as JSON is a decode error (exit 4)', async () => {
    const enc = await cli(['encode', '{"a":[1,2.5,"x"]}', '--serializer', 'pickle']);
    assert.equal(enc.code, 0);
    const dec = await cli(['decode', enc.out, '--serializer', 'pickle']);
    assert.equal(dec.code, 0);
    assert.equal(dec.out, '{"a":[1,2.5,"x"]}');
    const asJson = await cli(['decode', enc.out]);
    assert.equal(asJson.code, 4);
    oneLine(asJson.err);
    assert.match(asJson.err, /cannot decode \(bad-json\)/);
    assert.equal((await cli(['decode', enc.out, '--serializer', 'yaml'])).code, 2);
  });

  it('--algorithm sha1 signs as Django 3.1/3.2 with DEFAULT_HASHING_ALGORITHM = sha1; 4.0+ refuses it', async () => {
    const cookie = await cli(['sign-cookie', '{"a":1}', '--algorithm', 'sha1']);
    assert.match(cookie.out, /^eyJhIjoxfQ:[0-9A-Za-z]+:[\w-]{27}$/);
    const read = await cli(['decode-cookie', cookie.out, '--django-version', '3.2', '--algorithm', 'sha1']);
    assert.equal(read.code, 0);
    assert.equal(read.err, 'signature valid (SECRET_KEY, sha1)');
    const modern = await cli(['decode-cookie', cookie.out, '--django-version', '5.2']);
    assert.equal(modern.code, 4);
    assert.match(modern.err, /no longer accepts sha1 signatures/);
    const sha256 = await cli(['sign-cookie', '{"a":1}']);
    const strict = await cli(['decode-cookie', sha256.out, '--django-version', '3.2', '--algorithm', 'sha1']);
    assert.equal(strict.code, 4);
    assert.match(strict.err, /DEFAULT_HASHING_ALGORITHM = 'sha1'/);
    const bad = await cli(['encode', '{}', '--algorithm', 'md5']);
    assert.equal(bad.code, 2);
    oneLine(bad.err);
    assert.equal((await cli(['sign-cookie', '{}', '--algorithm', 'sha1', '--django-version', '5.0'])).code, 2);
  });

  it('decode-cookie with a wrong key reports the signature, not the age (Django checks it first)', async () => {
    const old = 'eyJmb28iOiJiYXIifQ:1r31eq:2G5JiysnG3EaLCJ1yJyaDeENYIICEfJn3Ml1UOqDd3E';
    const wrong = await cli(['decode-cookie', old], { DJANGO_SECRET_KEY: 'wrong' });
    assert.equal(wrong.code, 4);
    assert.equal(wrong.err, 'signature INVALID: not signed with this SECRET_KEY or salt');
    const right = await cli(['decode-cookie', old]);
    assert.equal(right.code, 4);
    oneLine(right.err);
    assert.match(right.err, /cannot decode \(expired\)/);
  });

  it('--django-version judges fallback keys: refused before 4.1, accepted from it', async () => {
    const enc = await cli(['encode', '{"a":1}'], { DJANGO_SECRET_KEY: OLD });
    const env = { DJANGO_SECRET_KEY: K, OLD_KEYS: JSON.stringify([OLD]) };
    const v32 = await cli(['decode', enc.out, '--fallback-keys-env', 'OLD_KEYS', '--django-version', '3.2'], env);
    assert.equal(v32.code, 4);
    assert.match(v32.err, /only SECRET_KEY_FALLBACKS\[0\] matches, and Django 3\.2 has no SECRET_KEY_FALLBACKS/);
    const v41 = await cli(['decode', enc.out, '--fallback-keys-env', 'OLD_KEYS', '--django-version', '4.1'], env);
    assert.equal(v41.code, 0);
    assert.equal(v41.err, 'signature valid (SECRET_KEY_FALLBACKS[0], sha256)');
    for (const version of ['five', '3.0', '2.2', '5']) {
      const r = await cli(['decode', enc.out, '--django-version', version]);
      assert.equal(r.code, 2, version);
      oneLine(r.err);
    }
  });

  it('encode --help names --legacy for 3.1/3.2 sessions with DEFAULT_HASHING_ALGORITHM = sha1, and --algorithm', async () => {
    const help = await cli(['encode', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /DEFAULT_HASHING_ALGORITHM = 'sha1'\s+store db\/cache\/file sessions in the pre-3\.1 format: --legacy/);
    assert.match(help.out, /encode JSON \[--salt S\] \[--serializer json\|pickle\] \[--legacy\] \[--algorithm sha256\|sha1\]/);
    assert.match(help.out, /--django-version X\.Y/);
    assert.match((await cli(['sign-cookie', '--help'])).out, /sign-cookie JSON \[--salt S\] \[--serializer json\|pickle\] \[--algorithm sha256\|sha1\]/);
  });

  it('the real entry point exits with the contract codes (a subprocess through tsx)', function () {
    // Two cold starts of tsx, each compiling the CLI: seconds apiece on a busy machine.
    this.timeout(90_000);
    const run = (args: string[], env: NodeJS.ProcessEnv) =>
      spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'cli/src/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
    const garbage = run(['decode', 'not:valid:data!!'], {});
    assert.equal(garbage.status, 4);
    assert.match(garbage.stderr, /^django-sessions: cannot decode \([a-z-]+\): .*\n$/);
    const noKey = run(['sign-cookie', '{}'], {});
    assert.equal(noKey.status, 2);
    assert.match(noKey.stderr, /^django-sessions: signing needs SECRET_KEY: set DJANGO_SECRET_KEY/);
  });
});

describe('CLI codec commands with a project named: its settings give the keys, salt and age', () => {
  const projectKey = 'project-secret-'.repeat(4);
  const settings = (engine: string, more = '') =>
    `SECRET_KEY = "${projectKey}"\nSECRET_KEY_FALLBACKS = ["${OLD}"]\nSESSION_ENGINE = "django.contrib.sessions.backends.${engine}"\nSESSION_COOKIE_AGE = 60\n${more}`;
  const manage = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n';
  const roots: string[] = [];
  const project = (engine: string, more?: string): string => {
    const root = tempProject({ 'manage.py': manage, 'site/__init__.py': '', 'site/settings.py': settings(engine, more) });
    roots.push(root);
    return root;
  };
  after(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

  it("signs and decodes a signed_cookies cookie with the project's SECRET_KEY and SESSION_COOKIE_AGE, no key in the environment", async () => {
    const root = project('signed_cookies');
    const signed = await cli(['--project', root, 'sign-cookie', '{"_auth_user_id":"7"}'], {});
    assert.equal(signed.code, 0, signed.err);
    const decoded = await cli(['--project', root, '--json', 'decode-cookie', signed.out], {});
    assert.equal(decoded.code, 0, decoded.err);
    assert.deepEqual([JSON.parse(decoded.out).data, JSON.parse(decoded.out).signature], [{ _auth_user_id: '7' }, 'valid']);
    // Without the project, the same cookie is not verified: the key came from the settings.
    assert.match((await cli(['decode-cookie', signed.out], {})).err, /signature not verified/);
    // The project's SESSION_COOKIE_AGE (60 s) is the age enforced, as its Django enforces it.
    const old = signSessionCookie(new PyDict([['a', 1n]]), { secretKeys: { values: [projectKey] }, serializer: 'json', cookieAgeSeconds: 60 }, Date.now() / 1000 - 120);
    const refused = await cli(['--project', root, 'decode-cookie', old], {});
    assert.equal(refused.code, 4);
    assert.match(refused.err, /Signature age 1\d\d > 60 seconds/);
  });

  it('encodes and decodes session data with the key of a db project, and verifies data signed with a fallback key', async () => {
    const root = project('db');
    const encoded = await cli(['--project', root, 'encode', '{"cart":[1]}'], {});
    assert.equal(encoded.code, 0, encoded.err);
    assert.equal((await cli(['decode', encoded.out], { DJANGO_SECRET_KEY: projectKey })).err, 'signature valid (SECRET_KEY, sha256)');
    const byFallback = (await cli(['encode', '{"a":1}'], { DJANGO_SECRET_KEY: OLD })).out;
    assert.equal((await cli(['--project', root, 'decode', byFallback], {})).err, 'signature valid (SECRET_KEY_FALLBACKS[0], sha256)');
  });

  it("writes the pre-3.1 format for a Django 3.2 project whose DEFAULT_HASHING_ALGORITHM is 'sha1', as its Django does", async () => {
    const root = project('db', "DEFAULT_HASHING_ALGORITHM = 'sha1'\n");
    const encoded = await cli(['--project', root, '--json', 'encode', '{"a":1}'], {});
    assert.equal(encoded.code, 0, encoded.err);
    const decoded = JSON.parse((await cli(['--project', root, '--json', 'decode', JSON.parse(encoded.out).encoded], {})).out);
    assert.deepEqual([decoded.format, decoded.algorithm, decoded.signature], ['legacy', 'sha1', 'valid']);
  });
});
