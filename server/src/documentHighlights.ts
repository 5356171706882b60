import { DocumentHighlightKind, type DocumentHighlight } from 'vscode-languageserver/node';
import { distinctPlaces, isWriteOp, type Position, type SessionKeyIndex } from '../../engine/src';
import { fileUri } from './fileUri';
import { constantLiteralsOf, keyUsagesAt, usagesOfKey } from './keyUsageAt';
import { sessionSettingReferences } from './navigation';
import type { SettingScope } from './projectModel';
import type { TextSource } from './rename';

/**
 * The places in `file` of the session key under the cursor, as an editor marks them: its writes
 * (a del or pop() too), its reads, and the literals of the constants that name it there.
 */
export function sessionKeyHighlights(index: SessionKeyIndex, file: string, position: Position): DocumentHighlight[] | undefined {
  const at = keyUsagesAt(index, file, position);
  if (at.length === 0) {
    return undefined;
  }
  const usages = at.flatMap((usage) => usagesOfKey(index, usage));
  const literals = constantLiteralsOf(usages)
    .filter((literal) => literal.file === file)
    .map((literal) => ({ range: literal.range, kind: DocumentHighlightKind.Text }));
  const accesses = distinctPlaces(usages)
    .filter((u) => u.file === file)
    // A del or pop() changes the session as a write does.
    .map((u) => ({ range: u.range, kind: isWriteOp(u.op) || u.op === 'delete' || u.op === 'pop' ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }));
  return [...literals, ...accesses];
}

/** The uses in `file` of the `SESSION_*` setting under the cursor: its name in a settings module, `settings.SESSION_X` elsewhere. */
export function sessionSettingHighlights(index: SessionKeyIndex, text: TextSource, file: string, position: Position, scope: SettingScope): DocumentHighlight[] | undefined {
  const uri = fileUri(file);
  return sessionSettingReferences(index, text, file, position, scope)
    ?.filter((location) => location.uri === uri)
    .map((location) => ({ range: location.range, kind: DocumentHighlightKind.Text }));
}
