import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver/node';
import { isWriteOp, type ResolvedUsage, type SessionKeyIndex } from '../../engine/src';
import { keyUsageAt, usagesOfKey } from './keyUsageAt';

/**
 * Go to definition: the constant that names the key when there is one, else every place the
 * project writes the key (a session key has no single declaration).
 */
export function sessionKeyDefinition(index: SessionKeyIndex, file: string, line: number, character: number): Location[] | undefined {
  const usage = keyUsageAt(index, file, { line, character });
  if (!usage) {
    return undefined;
  }
  if (usage.definition) {
    return [{ uri: pathToFileURL(usage.definition.file).toString(), range: usage.definition.constant.range }];
  }
  return usagesOfKey(index, usage.key).filter((u) => isWriteOp(u.op)).map(toLocation);
}

/** Find references: every access to the key under the cursor. */
export function sessionKeyReferences(index: SessionKeyIndex, file: string, line: number, character: number): Location[] | undefined {
  const usage = keyUsageAt(index, file, { line, character });
  return usage ? usagesOfKey(index, usage.key).map(toLocation) : undefined;
}

function toLocation(u: ResolvedUsage): Location {
  return { uri: pathToFileURL(u.file).toString(), range: u.range };
}
