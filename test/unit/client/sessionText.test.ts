import * as assert from 'node:assert/strict';
import { describeSession, sessionTooltip } from '../../../client/src/sessionText';
import type { SessionDetail, SessionSummary } from '../../../server/src/protocol';

const now = Date.parse('2026-01-10T12:00:00Z');
const summary: SessionSummary = { ref: 'r', displayKey: 'abcd••••••••', maskedKey: 'abcd••••••••', expireDate: '2026-01-13T12:00:00Z', expired: false, userId: '7', signature: 'valid', size: 3, version: 'v1' };

describe('sessionText', () => {
  it('describes a session by its user, its expiry and what is wrong with it', () => {
    assert.equal(describeSession(summary, now), 'user 7 · expires in 3 days');
    assert.equal(describeSession({ ...summary, userId: undefined, signature: 'invalid', cacheWarning: 'stale' }, now), 'bad signature · cache differs · anonymous · expires in 3 days');
    assert.equal(describeSession({ ...summary, signature: 'undecodable' }, now), 'undecodable · expires in 3 days');
    assert.equal(describeSession({ ...summary, signature: 'unsigned', cacheWarning: 'no row', cacheOnly: true }, now), 'no row · user 7 · expires in 3 days');
  });

  it('adds when the data was signed and whether it is compressed once the detail is known', () => {
    assert.doesNotMatch(sessionTooltip(summary), /Signed at|Compressed/);
    const detail: SessionDetail = { ...summary, data: [], signedAt: '2026-01-09T08:30:00.000Z', compressed: true };
    const tooltip = sessionTooltip(summary, detail);
    assert.match(tooltip, /^- Signed at: 2026-01-09 \d{2}:\d{2}:00 \(UTC[+-]\d{2}:\d{2}\), 2026-01-09T08:30:00\.000Z$/m);
    assert.match(tooltip, /^- Compressed: yes$/m);
    assert.match(sessionTooltip(summary, { ...detail, compressed: false }), /^- Compressed: no$/m);
    // Data kept unsigned (a cache entry) has no signing time, whatever the row's detail says.
    assert.doesNotMatch(sessionTooltip({ ...summary, signature: 'unsigned' }, { ...detail, signature: 'unsigned' }), /Signed at/);
  });

  it('says in the tooltip that a session ends when the browser closes, as its row does, before how long the store keeps it', () => {
    assert.match(sessionTooltip({ ...summary, atBrowserClose: true }), /^- Expires: when the browser closes, or at 2026-01-13 \d{2}:00:00 \(UTC[+-]\d{2}:\d{2}\), 2026-01-13T12:00:00Z if the browser is still open then \(Django no longer loads it after that\)$/m);
    assert.match(sessionTooltip({ ...summary, atBrowserClose: true, expired: true }), /^- Expires: 2026-01-13 .* \(expired\)$/m);
    assert.match(sessionTooltip(summary), /^- Expires: 2026-01-13 \d{2}:00:00 \(UTC[+-]\d{2}:\d{2}\), 2026-01-13T12:00:00Z$/m);
  });

  it('says in the tooltip what a bad signature means for Django, and what an unsigned store is', () => {
    assert.match(sessionTooltip({ ...summary, signature: 'invalid' }), /^- Signature: invalid: Django ignores this data, and a request with this key starts an empty session; check SECRET_KEY and the store's salt$/m);
    assert.match(sessionTooltip({ ...summary, signature: 'unsigned' }), /^- Signature: none \(this store keeps sessions unsigned, as Django does\)$/m);
    assert.match(sessionTooltip(summary), /^- Signature: valid$/m);
  });

  it('shows a user id, a key and reasons from session data as text, never as Markdown images or links', () => {
    const tooltip = sessionTooltip({ ...summary, displayKey: 'ab`c••••', userId: '![t](https://e.x/t.png) [click](https://e.x)', signatureNote: 'global [x](command:y)\n# big' });
    assert.match(tooltip, /^\*\*Session\*\* `` ab`c•••• ``$/m);
    assert.ok(tooltip.includes('\n- User: \\!\\[t\\]\\(https\\://e\\.x/t\\.png\\) \\[click\\]\\(https\\://e\\.x\\)\n'));
    assert.ok(tooltip.endsWith('\n**Signature:** global \\[x\\]\\(command\\:y\\) \\# big'));
  });

  it("leaves why a session cannot be decoded to the row under it, saying where to look, so the reason shows once", () => {
    const tooltip = sessionTooltip({ ...summary, signature: 'undecodable', error: 'Invalid base64: incorrect padding' });
    assert.match(tooltip, /^- Signature: unknown, as the data cannot be decoded: expand the session to see why$/m);
    assert.doesNotMatch(tooltip, /padding/);
  });
});
