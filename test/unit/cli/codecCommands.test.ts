import * as assert from 'node:assert/strict';
import { parseArgs } from '../../../cli/src/args';
import { decodeCommand, decodeCookieCommand, encodeCommand, signCookieCommand } from '../../../cli/src/commands/codec';
import { CliError } from '../../../cli/src/exitCodes';

const K = 'k'.repeat(50);
const PLAIN = 'eyJmb28iOiJiYXIifQ:1r31eq:zqTfX9Rg8Lj5l0PzO68tJWUYmfMp1ARrmNG9GP7lFKo';
const COOKIE = 'eyJmb28iOiJiYXIifQ:1r31eq:2G5JiysnG3EaLCJ1yJyaDeENYIICEfJn3Ml1UOqDd3E';
const FLAGS = new Set(['--salt', '--serializer', '--secret-key-env', '--fallback-keys-env', '--max-age']);

/** Runs a codec command in process and captures what it prints. */
async function run(command: typeof decodeCommand, argv: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command(parseArgs(argv, FLAGS), env, (t) => out.push(t), (t) => err.push(t));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('CLI codec commands', () => {
  it('decode verifies with DJANGO_SECRET_KEY and prints Python JSON', async () => {
    const r = await run(decodeCommand, ['decode', PLAIN], { DJANGO_SECRET_KEY: K });
    assert.equal(r.code, 0);
    assert.equal(r.out, '{"foo":"bar"}');
    assert.match(r.err, /signature valid \(SECRET_KEY, sha256\)/);
  });

  it('decode without a key still shows the data and says the signature is not verified', async () => {
    const r = await run(decodeCommand, ['decode', PLAIN], {});
    assert.equal(r.code, 0);
    assert.equal(r.out, '{"foo":"bar"}');
    assert.match(r.err, /signature not verified/);
  });

  it('decode exits 4 on a wrong key, and --json gives the details', async () => {
    const r = await run(decodeCommand, ['decode', PLAIN, '--json', '--secret-key-env', 'MY_KEY'], { MY_KEY: 'wrong' });
    assert.equal(r.code, 4);
    const doc = JSON.parse(r.out);
    assert.equal(doc.signature, 'invalid');
    assert.equal(doc.signed_at, '2023-11-14T22:13:20.000Z');
  });

  it('decode verifies with a fallback key and says which', async () => {
    const r = await run(decodeCommand, ['decode', PLAIN, '--fallback-keys-env', 'OLD'], { DJANGO_SECRET_KEY: 'new-key', OLD: JSON.stringify([K]) });
    assert.equal(r.code, 0);
    assert.match(r.err, /SECRET_KEY_FALLBACKS\[0\]/);
  });

  it('decode exits 4 with a typed reason on garbage', async () => {
    await assert.rejects(run(decodeCommand, ['decode', 'not:valid:data!!'], {}), (e: unknown) => e instanceof CliError && e.exitCode === 4 && /cannot decode \(/.test(e.message));
  });

  it("encode round-trips through decode with Django's format", async () => {
    const enc = await run(encodeCommand, ['encode', '{"n":12345678901234567890,"f":1.0,"b":1,"2":2}'], { DJANGO_SECRET_KEY: K });
    assert.equal(enc.code, 0);
    const dec = await run(decodeCommand, ['decode', enc.out], { DJANGO_SECRET_KEY: K });
    assert.equal(dec.out, '{"n":12345678901234567890,"f":1.0,"b":1,"2":2}');
  });

  it('encode needs a key and a JSON object', async () => {
    await assert.rejects(run(encodeCommand, ['encode', '{}'], {}), (e: unknown) => e instanceof CliError && e.exitCode === 2 && /DJANGO_SECRET_KEY/.test(e.message));
    await assert.rejects(run(encodeCommand, ['encode', '[1]'], { DJANGO_SECRET_KEY: K }), (e: unknown) => e instanceof CliError && e.exitCode === 2);
  });

  it('decode-cookie applies the signed_cookies salt and max age', async () => {
    const fresh = await run(decodeCookieCommand, ['decode-cookie', COOKIE, '--max-age', String(100 * 365 * 86400)], { DJANGO_SECRET_KEY: K });
    assert.equal(fresh.code, 0);
    assert.equal(fresh.out, '{"foo":"bar"}');
    await assert.rejects(run(decodeCookieCommand, ['decode-cookie', COOKIE], { DJANGO_SECRET_KEY: K }), (e: unknown) => e instanceof CliError && e.exitCode === 4 && /expired/.test(e.message));
  });

  it('sign-cookie signs with the signed_cookies salt', async () => {
    const signed = await run(signCookieCommand, ['sign-cookie', '{"foo":"bar"}'], { DJANGO_SECRET_KEY: K });
    assert.match(signed.out, /^eyJmb28iOiJiYXIifQ:[0-9A-Za-z]+:[\w-]{43}$/);
    const back = await run(decodeCookieCommand, ['decode-cookie', signed.out], { DJANGO_SECRET_KEY: K });
    assert.equal(back.code, 0);
  });
});
