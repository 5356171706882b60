import { createHash } from 'node:crypto';
import { EXPIRY_KEY, undecodableOutcome, isExpired, isJsonShaped, maskSessionKey, outlivesCookie, pyChildren, pyRepr, pythonJsonStringify, pyTypeName, type PyDict, type PyValue, type SessionRecord } from '../../engine/src';
import type { SessionDetail, SessionSummary, ValueNode } from './protocol';

const PREVIEW_LENGTH = 120;
/** Deep or wide values are cut so a huge session cannot flood the tree. */
const MAX_CHILDREN = 500;
const MAX_DEPTH = 8;

/**
 * Turns an engine record into the tree's row; `ref` is the opaque handle the registry issued.
 * `djangoVersion`, the project's, tells what its Django makes of data that cannot be decoded.
 */
export function summarize(record: SessionRecord, ref: string, maskKeys: boolean, now = Date.now(), djangoVersion?: string): SessionSummary {
  const decoded = record.decoded;
  const data = decoded.ok ? decoded.session.data : undefined;
  const userId = data?.get('_auth_user_id');
  return {
    ref,
    displayKey: maskKeys ? maskSessionKey(record.key) : record.key,
    maskedKey: maskSessionKey(record.key),
    expireDate: record.expireDate?.toISOString(),
    expired: isExpired(record, now),
    outlivesCookie: outlivesCookie(record, now) || undefined,
    atBrowserClose: atBrowserClose(data) || undefined,
    userId: typeof userId === 'string' ? userId : userId === undefined ? undefined : pyRepr(userId),
    signature: decoded.ok ? decoded.session.signature : 'undecodable',
    signatureNote: decoded.ok ? decoded.session.rejection?.message : undefined,
    error: decoded.ok ? undefined : `${decoded.message}; ${undecodableOutcome(decoded, record.raw, djangoVersion)}`,
    size: data?.size ?? 0,
    version: createHash('sha1').update(record.raw).digest('base64url').slice(0, 12),
    cacheWarning: record.cacheState === 'drift' || record.cacheState === 'orphan' || record.cacheState === 'undecodable' ? record.cacheNote ?? `cache ${record.cacheState}` : undefined,
    cacheOnly: record.cacheState === 'orphan' || undefined,
  };
}

/** Whether the data holds `set_expiry(0)`, as Django's get_expire_at_browser_close reads it (`expiry == 0`, so False and 0.0 too). */
function atBrowserClose(data: PyDict | undefined): boolean {
  const expiry = data?.get(EXPIRY_KEY);
  return expiry === 0n || expiry === 0 || expiry === false;
}

/** The summary plus the decoded data as expandable nodes. */
export function detail(record: SessionRecord, ref: string, maskKeys: boolean, djangoVersion?: string): SessionDetail {
  const decoded = record.decoded;
  return {
    ...summarize(record, ref, maskKeys, Date.now(), djangoVersion),
    data: decoded.ok ? topLevelNodes(decoded.session.data) : [],
    compressed: decoded.ok ? decoded.session.compressed : undefined,
    signedAt: decoded.ok ? decoded.session.signedAt?.toISOString() : undefined,
  };
}

/**
 * Session keys are strings, so the first level shows them bare, as code writes them, and carries
 * each value as JSON so the editor can offer it for editing.
 */
function topLevelNodes(data: PyDict): ValueNode[] {
  const nodes = limited([...data].map(([key, value]) => [typeof key === 'string' ? key : pyRepr(key), value]), 0);
  [...data].slice(0, MAX_CHILDREN).forEach(([key, value], i) => {
    nodes[i]!.json = jsonOf(value);
    if (isJsonShaped(value)) {
      nodes[i]!.editable = true;
    }
    // A label is a repr for other keys, so it cannot name them in an edit.
    if (typeof key === 'string') {
      nodes[i]!.key = key;
    }
  });
  return nodes;
}

/**
 * A top-level value as the view carries it (`ValueNode.json`): as Python's json.dumps writes it,
 * or where JSON cannot hold it, the JSON string of its Python repr, as the CLI's --json shows it.
 */
export function jsonOf(value: PyValue): string {
  try {
    return pythonJsonStringify(value);
  } catch {
    return JSON.stringify(pyRepr(value));
  }
}

function childNodes(value: PyValue, depth: number): ValueNode[] | undefined {
  const children = pyChildren(value);
  if (!children) {
    return undefined;
  }
  return depth >= MAX_DEPTH ? [] : limited(children, depth);
}

function limited(children: Array<[string, PyValue]>, depth: number): ValueNode[] {
  const nodes = children.slice(0, MAX_CHILDREN).map(([label, child]) => valueNode(label, child, depth + 1));
  if (children.length > MAX_CHILDREN) {
    nodes.push({ label: '…', type: '', preview: `${children.length - MAX_CHILDREN} more not shown` });
  }
  return nodes;
}

function valueNode(label: string, value: PyValue, depth: number): ValueNode {
  const repr = pyRepr(value);
  return {
    label,
    type: pyTypeName(value),
    preview: repr.length > PREVIEW_LENGTH ? `${repr.slice(0, PREVIEW_LENGTH - 1)}…` : repr,
    children: childNodes(value, depth),
  };
}
