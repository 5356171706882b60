/** PEP 263's declaration, as Python's tokenize.detect_encoding matches it on either of the first two lines. */
const CODING_COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
/** A first line that lets the second one declare the encoding: blank, or only a comment. */
const BLANK_OR_COMMENT = /^[ \t\f]*(?:[#\r\n]|$)/;

/**
 * Python's names of ISO-8859-1 and ASCII. TextDecoder reads all of them as windows-1252, as
 * browsers do, which gives other characters than Python for bytes 0x80 to 0x9F.
 */
const LATIN_1 = new Set(['latin-1', 'latin1', 'latin', 'l1', 'iso-8859-1', 'iso8859-1', 'iso-latin-1', '8859', 'cp819', 'ibm819', 'iso-ir-100', 'csisolatin1', 'ascii', 'us-ascii', 'us', '646']);

/**
 * windows-1252's characters for the bytes 0x80 to 0x9F (the rest are ISO-8859-1's), where
 * Python's cp1252 has them: Node 20's TextDecoder reads these bytes as ISO-8859-1 does.
 */
const CP1252_HIGH = '\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178';

function cp1252(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

/** Encodings whose bytes are not ASCII's for ASCII text, which Python cannot read a source file in. */
const NOT_ASCII_COMPATIBLE = new Set(['utf-16le', 'utf-16be', 'replacement']);

function line(bytes: Buffer, start: number): string {
  const end = bytes.indexOf(0x0a, start);
  return bytes.toString('latin1', start, end < 0 ? bytes.length : end + 1);
}

/** The encoding a source file declares in its first two lines, as Python finds it; undefined without one. */
function declaredEncoding(bytes: Buffer): string | undefined {
  const first = line(bytes, 0);
  const declared = CODING_COOKIE.exec(first)?.[1];
  if (declared !== undefined || !BLANK_OR_COMMENT.test(first) || first.length === bytes.length) {
    return declared;
  }
  return CODING_COOKIE.exec(line(bytes, first.length))?.[1];
}

/**
 * A decoder of the encoding Python names `name` (PEP 263), or undefined for UTF-8, Python's
 * default, and for an encoding this runtime cannot decode, which are read as UTF-8.
 */
function decoderOf(name: string): ((bytes: Buffer) => string) | undefined {
  // Python's get_normal_name and the aliases of its codec registry spell names both ways.
  const lower = name.toLowerCase();
  const dashed = lower.replace(/_/g, '-');
  if (LATIN_1.has(dashed) || /^(?:latin-1|iso-8859-1|iso-latin-1)-/.test(dashed)) {
    return (bytes) => bytes.toString('latin1');
  }
  for (const label of [lower, dashed]) {
    let decoder;
    try {
      decoder = new TextDecoder(label);
    } catch {
      continue;
    }
    if (decoder.encoding === 'utf-8' || NOT_ASCII_COMPATIBLE.has(decoder.encoding)) {
      return undefined;
    }
    return decoder.encoding === 'windows-1252' ? cp1252 : (bytes) => decoder.decode(bytes);
  }
  return undefined;
}

/**
 * A Python source file's text as Python reads it: in the encoding its coding line declares
 * (`# -*- coding: latin-1 -*-`), else as UTF-8, less a leading byte-order mark (which VS Code
 * also drops from a document), with a lone CR (an old Mac line end) as a line break, as both
 * Python and VS Code take it. Files other than Python's are read as UTF-8.
 */
export function decodeSource(bytes: Buffer, python: boolean): string {
  const hasMark = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const declared = python && !hasMark ? declaredEncoding(bytes) : undefined;
  const decode = declared === undefined ? undefined : decoderOf(declared);
  const text = decode ? decode(bytes) : bytes.toString('utf8', hasMark ? 3 : 0);
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}
