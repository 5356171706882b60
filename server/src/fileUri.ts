import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/**
 * The `file:` URI of a path, spelled as VS Code spells it (vscode-uri's `URI.file(path).toString()`):
 * every character of the path but letters, digits, `-._~` and `/` percent-encoded, and a drive
 * letter in lower case. Node's pathToFileURL leaves `(`, `@`, `+`, `,` and the like as they are.
 */
export function fileUri(file: string): string {
  const url = pathToFileURL(file);
  const decoded = decodeURIComponent(url.pathname).replace(/^\/([A-Z]):/, (_, drive: string) => `/${drive.toLowerCase()}:`);
  return `file://${url.host}${decoded.split('/').map(encodeSegment).join('/')}`;
}

/** The file path behind any `file:` URI (a `.env` too), however its characters are encoded; undefined for other schemes. */
export function toFilePath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    // A file URI with a remote host is no path here.
    return undefined;
  }
}

/**
 * The open document of a file. Documents are keyed by the URI the client sent, whose encoding
 * is the client's own (VS Code writes `(` as `%28`, others may not): they are matched by path.
 */
export function openDocumentOf(documents: { get(uri: string): TextDocument | undefined; all(): TextDocument[] }, file: string): TextDocument | undefined {
  return documents.get(fileUri(file)) ?? documents.all().find((document) => toFilePath(document.uri) === file);
}

function encodeSegment(segment: string): string {
  // encodeURIComponent keeps !'()* too, which vscode-uri encodes.
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
