import { isJsonShaped, maskSessionKey, sessionToDisplayJson, type SessionRecord } from '../../engine/src';
import { summarize } from './sessionPresenter';

/**
 * A session as the text of a read-only JSONC document: comments saying which session it is, when
 * it expires, whose it is and whether its signature holds, then its data exactly as
 * `json.dumps(data, indent=2)` writes it. Values JSON cannot hold (from pickled sessions) are
 * their Python repr in strings, and a comment says so. An undecodable session is its reason and
 * its stored text.
 */
export function sessionDocumentText(record: SessionRecord, storeLabel: string, maskKeys: boolean): string {
  const summary = summarize(record, '', maskKeys);
  const lines = [`// Django session ${maskKeys ? maskSessionKey(record.key) : record.key} in ${storeLabel}`];
  const facts = [summary.expireDate ? `expires ${summary.expireDate}${summary.expired ? ' (expired)' : ''}` : 'expiry unknown', summary.userId !== undefined ? `user ${summary.userId}` : 'anonymous'];
  const decoded = record.decoded;
  if (!decoded.ok) {
    lines.push(`// ${facts.join(' · ')}`, `// Cannot decode: ${decoded.message}`, '// The stored data, as it is:', JSON.stringify(record.raw));
    return `${lines.join('\n')}\n`;
  }
  facts.push(`signature ${summary.signature}`);
  lines.push(`// ${facts.join(' · ')}`);
  if (summary.signatureNote) {
    lines.push(`// ${summary.signatureNote}`);
  }
  if (summary.cacheWarning) {
    lines.push(`// Cache: ${summary.cacheWarning}`);
  }
  const data = decoded.session.data;
  if (!isJsonShaped(data)) {
    lines.push('// Values JSON cannot hold are shown as their Python repr, in strings.');
  }
  lines.push('// Read-only: change values from the Sessions view.', sessionToDisplayJson(data, 2));
  return `${lines.join('\n')}\n`;
}
