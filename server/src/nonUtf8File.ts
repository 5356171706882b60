import * as fs from 'node:fs';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Why a file on disk cannot take an edit the editor applies: it is not valid UTF-8 (a Latin-1
 * module with a `# -*- coding: latin-1 -*-` line). VS Code opens a file it has not opened yet as
 * UTF-8 to apply a workspace edit, and writes every other non-ASCII character of it back as
 * U+FFFD, string literals included. A file open in the editor was decoded as the user chose.
 */
export function nonUtf8File(file: string): string | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  try {
    UTF8.decode(bytes);
    return undefined;
  } catch {
    return 'that is not UTF-8, which VS Code would rewrite with U+FFFD in place of its other non-ASCII characters when it applies the edit; open it in the editor first (reopened with its encoding), or convert it to UTF-8';
  }
}
