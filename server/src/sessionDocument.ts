import { createHash } from 'node:crypto';
import { CodecError, EXPIRY_KEY, expiryValueProblem, isExpired, isJsonShaped, maskSessionKey, MAX_SESSION_NESTING, parseSessionJson, sessionToDisplayJson, StoreError, tableOnlyRefusal, TOO_DEEP, unloadedKeyHint, valueNesting, type PyDict, type SessionRecord, type StoreDescriptor } from '../../engine/src';
import { summarize } from './sessionPresenter';

/** The header line of a session that can be edited in its document and saved back. */
const EDITABLE = '// Edit the JSON below and save to write it back; nothing is written if Django changed the session meanwhile.';
/**
 * The header line naming the stored version the document shows. It is part of the text, so a
 * save always sends the version of the very text it saves, whatever the editor did meanwhile.
 */
const VERSION_LINE = /^\/\/ version ([0-9a-f]{32})$/;

const READ_ONLY_NOT_JSON = 'Read-only: saving would turn the values JSON cannot hold into strings, lists or plain dicts; change the others from the Sessions view.';

/**
 * A session as the text of a JSONC document, and whether it can be edited there: comments saying which session it is, when it
 * expires, whose it is, whether its signature holds and whether it can be edited here (and then
 * which stored version it shows), then its data exactly as `json.dumps(data, indent=2)` writes
 * it. Values JSON cannot hold (from pickled sessions) are their Python repr in strings, and a
 * comment says so. An undecodable session is its reason and its stored text.
 */
export function renderSessionDocument(record: SessionRecord, store: StoreDescriptor, storeLabel: string, maskKeys: boolean): { text: string; editable: boolean } {
  const summary = summarize(record, '', maskKeys);
  const reason = readOnlyReason(record, store);
  // Never the whole key, whatever the view shows: the text is the document, which hot exit writes to disk.
  const lines = [`// Django session ${maskSessionKey(record.key)} in ${storeLabel}`];
  // Whole seconds: a cache's expiry is now plus the time left to live, which moves by
  // milliseconds between reads, and every change of the text reloads the document.
  const expires = record.expireDate && `expires ${new Date(Math.round(record.expireDate.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z')}${summary.expired ? ' (expired)' : ''}`;
  const facts = [expires || 'expiry unknown', summary.userId !== undefined ? `user ${summary.userId}` : 'anonymous'];
  const decoded = record.decoded;
  if (!decoded.ok) {
    lines.push(`// ${facts.join(' · ')}`, `// Cannot decode: ${decoded.message}`, `// ${reason}`);
    // Data too large to read was never read: there is no text to show.
    if (decoded.code !== 'oversized') {
      lines.push('// The stored data, as it is:', JSON.stringify(record.raw));
    }
    return { text: `${lines.join('\n')}\n`, editable: false };
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
  // An editable session's data is all JSON; one read-only for another reason may not be either.
  if (reason === READ_ONLY_NOT_JSON || (reason !== undefined && !isJsonShaped(data))) {
    lines.push('// Values JSON cannot hold are shown as their Python repr, in strings.');
  }
  lines.push(...(reason === undefined ? [EDITABLE, `// version ${sessionDocumentVersion(record, store)}`] : [`// ${reason}`]), sessionToDisplayJson(data, 2));
  return { text: `${lines.join('\n')}\n`, editable: reason === undefined };
}

/**
 * Why the session cannot be edited as its document's JSON and saved, or undefined when it can.
 * These are the sessions a save would corrupt or Django would ignore.
 */
export function readOnlyReason(record: SessionRecord, store: StoreDescriptor): string | undefined {
  const decoded = record.decoded;
  const refusal = tableOnlyRefusal(store);
  if (refusal) {
    return `Read-only: ${refusal}`;
  }
  if (!decoded.ok) {
    return 'Read-only: data that cannot be decoded is never rewritten; delete the session from the Sessions view instead.';
  }
  if (isExpired(record)) {
    return 'Read-only: this session has expired, so Django never loads it again, and saving it would bring it back; set its expiry from the Sessions view first.';
  }
  if (decoded.session.signature === 'invalid') {
    const hint = unloadedKeyHint(store);
    return hint
      ? `Read-only: its signature does not verify with the key read here: ${hint}.`
      : "Read-only: Django ignores this data, as its signature does not verify; check SECRET_KEY and the store's salt before changing it.";
  }
  if (decoded.session.signature === 'unverified' && store.secretKeys.values.length === 0) {
    return 'Read-only: without the SECRET_KEY the changed data could not be signed for Django.';
  }
  if (!isJsonShaped(decoded.session.data)) {
    return READ_ONLY_NOT_JSON;
  }
  return undefined;
}

/**
 * Which stored version of a session a document shows: a hash of the stored text, so it changes
 * with every write and reveals nothing, not even the key (which the stored text does not hold).
 * A row's or file's expiry counts too: Django code can expire a session by its `expire_date`
 * alone, and a save would revive it. A cache's expiry is its time to live, which moves on every
 * read, so there only the text counts.
 */
export function sessionDocumentVersion(record: SessionRecord, store: StoreDescriptor): string {
  const expiry = store.engine === 'cache' ? '' : String(record.expireDate?.getTime() ?? '');
  return createHash('sha256').update(record.raw).update('\0').update(expiry).digest('hex').slice(0, 32);
}

/** What an edited document asks to write: the data, over the stored version it was read from. */
interface SessionDocumentEdit {
  version: string;
  data: PyDict;
}

/**
 * A mistake in an edited document's text that keeps it from being saved: where it is, what it is
 * and how to put it right, worded apart from any write so that both a refused save and the editor
 * while the text is typed can say it.
 */
export interface SessionDocumentMistake {
  /** The 0-based line and UTF-16 column in the document where it is, and the column it ends before on that line. */
  line: number;
  character: number;
  end: number;
  /** Whether the parser named that place: otherwise it is only where the data starts. */
  exact: boolean;
  /** What is wrong: "Expecting value", or a sentence. */
  what: string;
  /** How to put it right, a sentence without its full stop, where `what` does not say. */
  fix?: string;
  /** A JSON error, which a save's message leads with its line and column. */
  json: boolean;
}

const NOT_ONE_OBJECT = 'the session data must be one JSON object, and only whole lines at the top may be // comments';

/**
 * The edit an edited document holds: the whole `//` lines it starts with are the header (its
 * `// version` line names the stored version the edit started from) and the rest must be one
 * JSON object, read as Python's json.loads reads it so big ints and `1.0` survive. Anything
 * else, comments further down included, is a StoreError('bad-input') naming the line.
 */
export function sessionDocumentEdit(text: string): SessionDocumentEdit {
  const read = readSessionDocument(text);
  if ('edit' in read) {
    return read.edit;
  }
  const { what, fix, json, line, character, exact } = read.mistake;
  if (!json) {
    throw new StoreError('bad-input', `${what}; nothing was written.${fix === undefined ? '' : ` ${fix}.`}`);
  }
  const at = exact ? `Line ${line + 1}, column ${character + 1}: ` : '';
  throw new StoreError('bad-input', `${at}${what}. Nothing was written: ${fix}.`);
}

/**
 * The first mistake a save of this text would be refused for before any store is read: what
 * sessionDocumentEdit refuses, then a `_session_expiry` the store's Django would fail on (as
 * refuseBadExpiryValue refuses it; not checked without the store). Undefined when there is none.
 */
export function sessionDocumentMistake(text: string, store: StoreDescriptor | undefined, now = new Date()): SessionDocumentMistake | undefined {
  const read = readSessionDocument(text);
  if ('mistake' in read) {
    return read.mistake;
  }
  const problem = store && expiryValueProblem(read.edit.data.get(EXPIRY_KEY), store, now);
  if (problem === undefined) {
    return undefined;
  }
  return { ...expiryEntry(text, read.header), what: `${EXPIRY_KEY} ${problem}`, json: false };
}

/** A mistake as the editor shows it: as a refused save words it, without its line and column or any word of a write. */
export function mistakeMessage(mistake: SessionDocumentMistake): string {
  const fix = mistake.fix && ` ${mistake.fix.charAt(0).toUpperCase()}${mistake.fix.slice(1)}.`;
  return `${mistake.what}.${fix ?? ''}`;
}

/** An edited document's edit, with how many header lines come before its data; or its first mistake. */
function readSessionDocument(text: string): { edit: SessionDocumentEdit; header: number } | { mistake: SessionDocumentMistake } {
  const lines = text.split(/\r?\n/);
  let header = 0;
  let version: string | undefined;
  for (; header < lines.length && (lines[header]!.trimStart().startsWith('//') || lines[header]!.trim() === ''); header++) {
    version ??= VERSION_LINE.exec(lines[header]!.trim())?.[1];
  }
  if (version === undefined) {
    const what = 'The "// version" line at the top is gone, so which stored session the edit started from is unknown';
    return { mistake: { ...wholeLine(lines[0]!, 0), what, fix: 'Revert the file (File: Revert File) and redo the edit', json: false } };
  }
  const body = lines.slice(header).join('\n');
  if (body.trim() === '') {
    const what = 'The document holds no session data';
    // Blank lines at the end count as header: the mistake is on the last line.
    return { mistake: { ...wholeLine('', Math.min(header, lines.length - 1)), what, fix: 'Write the data as a JSON object, e.g. {"cart": [1, 2]}, below the // lines', json: false } };
  }
  try {
    const data = parseSessionJson(body);
    if (valueNesting(data) > MAX_SESSION_NESTING) {
      return { mistake: { ...wholeLine(lines[header]!, header), what: `The session data's ${TOO_DEEP}`, fix: 'Nest its lists and dicts less deep', json: false } };
    }
    return { edit: { version, data }, header };
  } catch (err) {
    if (!(err instanceof CodecError)) {
      throw err;
    }
    return { mistake: { ...located(err.message, body, header), fix: NOT_ONE_OBJECT, json: true } };
  }
}

/** The position json.loads-style errors end with (pythonJsonParse), an offset into the text it read. */
const CHAR_SUFFIX = /: char (\d+)$/;

/**
 * The parser's message, and the document's line and column of an error in the body, which
 * starts after `header` lines. Python's wording ends "… at" before its position, which the line
 * and column stand for, so that ending goes. An error without a position is placed at the body's start.
 */
function located(message: string, body: string, header: number): Pick<SessionDocumentMistake, 'line' | 'character' | 'end' | 'exact' | 'what'> {
  const offset = CHAR_SUFFIX.exec(message);
  if (offset === null) {
    return { ...wholeLine(body.split('\n')[0]!, header), what: message };
  }
  const before = body.slice(0, Number(offset[1])).split('\n');
  const line = header + before.length - 1;
  const character = before[before.length - 1]!.length;
  // The one character the parser stopped at; at a line's end there is none, and the place is a point.
  const end = Math.min(character + 1, body.split('\n')[before.length - 1]!.length);
  return { line, character, end: Math.max(end, character), exact: true, what: message.replace(CHAR_SUFFIX, '').replace(/ (starting )?at$/, '') };
}

/** A line as the place of a mistake that has no narrower one. */
function wholeLine(text: string, line: number): Pick<SessionDocumentMistake, 'line' | 'character' | 'end' | 'exact'> {
  return { line, character: 0, end: text.trimEnd().length, exact: false };
}

/**
 * Where the data sets `_session_expiry`: its last entry in the top-level object, as json.loads
 * keeps the last of a key written twice (a nested object's key of that name, or a string value
 * spelling it, is none); the start of the data when the key is written another way (with escapes).
 */
function expiryEntry(text: string, header: number): Pick<SessionDocumentMistake, 'line' | 'character' | 'end' | 'exact'> {
  const lines = text.split(/\r?\n/);
  const body = lines.slice(header).join('\n');
  const entry = lastTopLevelEntry(body, `"${EXPIRY_KEY}"`);
  if (entry === undefined) {
    return wholeLine(lines[header]!, header);
  }
  const before = body.slice(0, entry.start).split('\n');
  const line = header + before.length - 1;
  const character = before[before.length - 1]!.length;
  // An entry running onto further lines is marked to the end of its first.
  const [first, ...rest] = body.slice(entry.start, entry.end).split('\n');
  return { line, character, end: rest.length > 0 ? lines[line]!.replace(/,?\s*$/, '').length : character + first!.length, exact: true };
}

/**
 * Where, in valid JSON text, the last entry of the top-level object whose key is spelled `key`
 * (quotes included) starts, and where its value ends.
 */
function lastTopLevelEntry(json: string, key: string): { start: number; end: number } | undefined {
  let depth = 0;
  let keyNext = false;
  let open: number | undefined;
  let last: { start: number; end: number } | undefined;
  const close = (at: number): void => {
    if (open !== undefined) {
      last = { start: open, end: json.slice(0, at).trimEnd().length };
      open = undefined;
    }
  };
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let end = i + 1;
      while (end < json.length && json[end] !== '"') {
        end += json[end] === '\\' ? 2 : 1;
      }
      if (depth === 1 && keyNext && json.slice(i, end + 1) === key) {
        open = i;
      }
      keyNext = false;
      i = end;
    } else if (c === '{' || c === '[') {
      depth++;
      keyNext = depth === 1 && c === '{';
    } else if (c === '}' || c === ']') {
      if (depth === 1) {
        close(i);
      }
      depth--;
    } else if (c === ',' && depth === 1) {
      close(i);
      keyNext = true;
    }
  }
  return last;
}
