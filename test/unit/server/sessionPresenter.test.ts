import * as assert from 'node:assert/strict';
import { pythonJsonParse, PyDict, type SessionRecord } from '../../../engine/src';
import { detail, summarize } from '../../../server/src/sessionPresenter';

function record(json: string, expireDate = new Date('2030-01-01T00:00:00Z')): SessionRecord {
  const data = pythonJsonParse(json);
  assert.ok(data instanceof PyDict);
  return { key: 'abcdefgh12345678abcdefgh12345678', expireDate, raw: '', decoded: { ok: true, session: { data, signature: 'valid', format: 'signed', compressed: false } } };
}

describe('sessionPresenter', () => {
  it('masks the key unless asked not to, and reads the user id', () => {
    const r = record('{"_auth_user_id":"7"}');
    assert.equal(summarize(r, 'ref', true).displayKey, 'abcd••••••••');
    assert.equal(summarize(r, 'ref', false).displayKey, r.key);
    assert.equal(summarize(r, 'ref', false).maskedKey, 'abcd••••••••', 'names that outlive the view stay masked');
    assert.equal(summarize(r, 'ref', true).userId, '7');
  });

  it("gives each row its stored data's version, which changes with the data even where nothing else shown does", () => {
    const stored = (raw: string) => summarize({ ...record('{"cart":1}'), raw }, 'r', true).version;
    assert.equal(stored('eyJjYXJ0IjoxfQ:1t:sig'), stored('eyJjYXJ0IjoxfQ:1t:sig'));
    assert.notEqual(stored('eyJjYXJ0IjoxfQ:1t:sig'), stored('eyJjYXJ0IjoyfQ:1t:sig'));
    assert.match(stored('x'), /^[\w-]{12}$/, 'short, and no part of the data');
  });

  it('marks a session whose expiry is set_expiry(0), which ends with the browser, and no other', () => {
    assert.equal(summarize(record('{"_session_expiry":0}'), 'r', true).atBrowserClose, true);
    // Django compares with == 0, which False and 0.0 are.
    assert.equal(summarize(record('{"_session_expiry":false}'), 'r', true).atBrowserClose, true);
    assert.equal(summarize(record('{"_session_expiry":0.0}'), 'r', true).atBrowserClose, true);
    assert.equal(summarize(record('{"_session_expiry":true}'), 'r', true).atBrowserClose, undefined);
    assert.equal(summarize(record('{"_session_expiry":60}'), 'r', true).atBrowserClose, undefined);
    assert.equal(summarize(record('{}'), 'r', true).atBrowserClose, undefined);
  });

  it('tells expired from live sessions', () => {
    const now = Date.parse('2031-01-01T00:00:00Z');
    assert.equal(summarize(record('{}'), 'r', true, now).expired, true);
    assert.equal(summarize(record('{}', new Date('2032-01-01T00:00:00Z')), 'r', true, now).expired, false);
    assert.equal(summarize(record('{}'), 'r', true, now).outlivesCookie, undefined);
  });

  it("follows the store's own expiry rule: a file session kept past its cookie's expiry is live, and says so", () => {
    const now = Date.parse('2031-01-01T00:00:00Z');
    const kept = { ...record('{"_session_expiry":60}'), expired: false };
    assert.deepEqual([summarize(kept, 'r', true, now).expired, summarize(kept, 'r', true, now).outlivesCookie], [false, true]);
  });

  it('names the key an edit acts on only for str keys, and never on the row of values not shown', () => {
    const data = new PyDict([
      ['cart', 1n],
      [1n, 'one'],
    ]);
    const r: SessionRecord = { key: 'k'.repeat(32), raw: '', decoded: { ok: true, session: { data, signature: 'valid', format: 'signed', compressed: false } } };
    assert.deepEqual(detail(r, 'r', true).data.map((n) => [n.label, n.key]), [['cart', 'cart'], ['1', undefined]]);
    const wide = new PyDict(Array.from({ length: 501 }, (_, i) => [`k${i}`, 0n] as [string, bigint]));
    const rows = detail({ ...r, decoded: { ok: true, session: { data: wide, signature: 'valid', format: 'signed', compressed: false } } }, 'r', true).data;
    assert.deepEqual([rows.length, rows[500]!.label, rows[500]!.key], [501, '…', undefined]);
  });

  it('shows top-level keys bare and nested dict keys as Python reprs', () => {
    const d = detail(record('{"cart":{"1":2},"n":[1.0,12345678901234567890]}'), 'r', true);
    assert.deepEqual(d.data.map((n) => [n.label, n.type, n.preview]), [
      ['cart', 'dict', "{'1': 2}"],
      ['n', 'list', '[1.0, 12345678901234567890]'],
    ]);
    assert.deepEqual(d.data[0]!.children?.map((n) => [n.label, n.preview]), [["'1'", '2']]);
  });

  it('shortens long previews and caps wide containers', () => {
    const d = detail(record(`{"long":"${'x'.repeat(500)}","wide":[${Array.from({ length: 600 }, (_, i) => i).join(',')}]}`), 'r', true);
    assert.equal(d.data[0]!.preview.length, 120);
    assert.ok(d.data[0]!.preview.endsWith('…'));
    assert.equal(d.data[1]!.children?.length, 501);
    assert.equal(d.data[1]!.children?.[500]?.preview, '100 more not shown');
  });

  it('reports undecodable data with its reason', () => {
    const bad: SessionRecord = { key: 'k'.repeat(32), raw: 'x', decoded: { ok: false, code: 'bad-base64', message: 'not base64' } };
    const s = summarize(bad, 'r', true);
    assert.equal(s.signature, 'undecodable');
    assert.equal(s.error, 'not base64; Django would start an empty session for it');
    assert.deepEqual(detail(bad, 'r', true).data, []);
  });

  it("says why the project's Django refuses data a key verifies", () => {
    const data = new PyDict();
    const rejection = { reason: 'sha1-signature' as const, message: 'Django 4.2 no longer accepts sha1 signatures' };
    const refused: SessionRecord = { key: 'k'.repeat(32), raw: '', decoded: { ok: true, session: { data, signature: 'invalid', algorithm: 'sha1', format: 'signed', compressed: false, rejection } } };
    const s = summarize(refused, 'r', true);
    assert.deepEqual([s.signature, s.signatureNote], ['invalid', rejection.message]);
    assert.equal(summarize(record('{}'), 'r', true).signatureNote, undefined);
  });

  it('warns when a cached_db cache entry differs from its row, and not when in sync', () => {
    const drift = { ...record('{}'), cacheState: 'drift' as const, cacheNote: 'the cache holds other data' };
    assert.equal(summarize(drift, 'r', true).cacheWarning, 'the cache holds other data');
    assert.equal(summarize({ ...record('{}'), cacheState: 'in-sync' as const }, 'r', true).cacheWarning, undefined);
  });
  it("says why a session cannot be decoded and what the project's Django makes of it, by its version", () => {
    const undecodable = (decoded: SessionRecord['decoded'], raw = 'x') => ({ ...record('{}'), raw, decoded });
    const corrupt = undecodable({ ok: false, code: 'bad-base64', message: 'Invalid base64: incorrect padding' });
    assert.equal(summarize(corrupt, 'r', true).error, 'Invalid base64: incorrect padding; Django would start an empty session for it');
    // Signed data that verified but does not load, whose base64 Django 3.2's legacy decode chokes on.
    const verified = undecodable({ ok: false, code: 'bad-json', message: 'not JSON', afterValidSignature: true }, 'abcd:1r31eq:sig');
    assert.match(detail(verified, 'r', true, '3.2.25').error!, /^not JSON; Django 3\.2\.25 raises binascii\.Error on it .*; delete it$/);
    assert.equal(summarize(verified, 'r', true, Date.now(), '4.2').error, 'not JSON; Django would start an empty session for it');
  });
});
