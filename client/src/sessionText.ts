import type { SessionDetail, SessionSummary } from '../../server/src/protocol';
import { describeExpiry } from './expiryText';
import { localTimeText } from './localTime';
import { markdownCode, markdownText } from './markdownText';

/** The line beside a session, in the view and in pickers: its user, its expiry and anything wrong with it. */
export function describeSession(session: SessionSummary, now = Date.now()): string {
  // What is wrong comes first: a narrow sidebar cuts the end of the line off.
  const problems: string[] = [];
  if (session.signature === 'invalid') {
    problems.push(session.signatureNote ? 'refused by Django' : 'bad signature');
  } else if (session.signature === 'unverified') {
    problems.push('signature not verified');
  }
  if (session.cacheWarning) {
    problems.push(session.cacheOnly ? 'no row' : 'cache differs');
  }
  const who = session.signature === 'undecodable' ? 'undecodable' : session.userId !== undefined ? `user ${session.userId}` : 'anonymous';
  return [...problems, who, describeExpiry(session.expireDate, session.expired, now, session.outlivesCookie, session.atBrowserClose)].join(' · ');
}

/** What a signature state means for Django, where the state's own name does not say it. */
const SIGNATURE_WORDS: Partial<Record<SessionSummary['signature'], string>> = {
  unsigned: 'none (this store keeps sessions unsigned, as Django does)',
  invalid: "invalid: Django ignores this data, and a request with this key starts an empty session; check SECRET_KEY and the store's salt",
  undecodable: 'unknown, as the data cannot be decoded: expand the session to see why',
};

/**
 * When a session ends: its date, or for one whose cookie ends when the browser closes (as the
 * row says), that first, then the date: past it Django loads the session no more, though the
 * database store keeps its row until clearsessions.
 */
function expiresText(session: SessionSummary): string {
  const date = session.expireDate ? localTimeText(session.expireDate) : 'unknown';
  if (session.atBrowserClose && !session.expired) {
    return `when the browser closes, or at ${date} if the browser is still open then (Django no longer loads it after that)`;
  }
  return `${date}${session.expired ? ' (expired)' : ''}`;
}

/**
 * A session's tooltip as Markdown. `detail`, the decoded session, adds what a listing does not
 * carry: when Django signed the data and whether it is compressed.
 */
export function sessionTooltip(session: SessionSummary, detail?: SessionDetail): string {
  const lines = [
    `**Session** ${markdownCode(session.displayKey)}`,
    '',
    `- Expires: ${expiresText(session)}`,
    `- User: ${session.userId === undefined ? 'none' : markdownText(session.userId)}`,
    `- Signature: ${SIGNATURE_WORDS[session.signature] ?? session.signature}`,
    `- Keys: ${session.size}`,
  ];
  // Data a store keeps unsigned carries no signing time, whatever the row beside it says.
  if (detail?.signedAt && session.signature !== 'unsigned') {
    lines.push(`- Signed at: ${localTimeText(detail.signedAt)}`);
  }
  if (detail?.compressed !== undefined) {
    lines.push(`- Compressed: ${detail.compressed ? 'yes' : 'no'}`);
  }
  if (session.signatureNote) {
    lines.push('', `**Signature:** ${markdownText(session.signatureNote)}`);
  }
  if (session.cacheWarning) {
    lines.push('', `**Cache:** ${markdownText(session.cacheWarning)}`);
  }
  return lines.join('\n');
}
