import * as vscode from 'vscode';
import { KeyReferencesRequest } from '../../server/src/protocol';
import type { Ctx } from './ctx';
import { BuiltinCommands } from './ids';
import type { SessionsNode } from './sessionsTree';

/**
 * Find Key in Code, on a session's value in the Sessions view or asked for from the palette: every
 * read and write of its key in the workspace, shown in the references peek as Find References
 * shows them from the code. Where no code uses the key, a message says so, and what Django or an
 * app uses it for. Returns what it showed (the places, or the message), undefined when cancelled.
 */
export async function findKeyInCode(ctx: Ctx, node?: SessionsNode): Promise<vscode.Location[] | string | undefined> {
  const key = node === undefined ? await askKey() : node.kind === 'value' ? node.value.key : undefined;
  if (key === undefined) {
    return undefined;
  }
  let found;
  try {
    found = await ctx.client.sendRequest(KeyReferencesRequest, { key });
  } catch (err) {
    void vscode.window.showErrorMessage(`Django Sessions: ${(err as Error).message}`);
    return undefined;
  }
  if (found.locations.length === 0) {
    const message = [`No code in this workspace reads or writes ${quotedKey(key)}.`, ...found.usedBy].join(' ');
    void vscode.window.showInformationMessage(message);
    return message;
  }
  const locations = found.locations.map((location) => ctx.client.protocol2CodeConverter.asLocation(location));
  // The peek needs an editor to open in: the first place, as Find References opens where it was asked.
  const first = locations[0]!;
  await vscode.commands.executeCommand(BuiltinCommands.showReferences, first.uri, first.range.start, locations);
  return locations;
}

function askKey(): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title: 'Find Key in Code', prompt: 'The session key whose reads and writes to show, as the code spells it', placeHolder: 'e.g. cart' });
}

/** The key as Python would quote it where that is plain ('cart'), else as a JSON string, so a quote or line break in it shows. */
function quotedKey(key: string): string {
  return /^[^'\\\p{C}]*$/u.test(key) ? `'${key}'` : JSON.stringify(key);
}
