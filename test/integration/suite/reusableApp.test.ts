import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readyApi } from './readyApi';

const EXTENSION_ID = 'django-sessions.django-sessions';
/** How long VS Code may take to start the extension on its activation events, after the workbench loaded. */
const ACTIVATION_WAIT_MS = 30_000;

describe("a reusable app's repository: test settings named by pytest.ini, no manage.py", () => {
  it('starts the extension by itself, and the language server reads the test settings', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    // Nothing here activates it: only the workspace's files, through the activation events, can.
    const deadline = Date.now() + ACTIVATION_WAIT_MS;
    while (!extension.isActive && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(extension.isActive, true, 'the extension started on the workspace alone');
    await readyApi();
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const settings = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(root, 'tests', 'settings.py')));
    const age = settings.positionAt(settings.getText().indexOf('SESSION_COOKIE_AGE') + 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', settings.uri, age);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /This project: `60`, set in `tests\/settings.py:3`/);
  });
});
