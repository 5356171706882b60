import * as vscode from 'vscode';
import type { SessionFilter } from '../../server/src/protocol';
import { FILTER_SYNTAX, parseSessionFilter, readFilterBox } from './sessionFilterText';

/**
 * Asks for the Sessions view's filter, starting from the current one's text. Undefined when the
 * user cancels; `{ filter: undefined }` when they empty the box, which shows every session again.
 */
export async function askSessionFilter(current: string | undefined): Promise<{ filter: SessionFilter | undefined; text: string } | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Filter Sessions',
    prompt: FILTER_SYNTAX,
    placeHolder: 'e.g. user:42 key:cart active',
    value: current ?? '',
    validateInput: (value) => {
      const parsed = parseSessionFilter(value);
      return 'error' in parsed ? parsed.error : undefined;
    },
  });
  if (text === undefined) {
    return undefined;
  }
  const read = readFilterBox(text);
  return 'error' in read ? undefined : read;
}
