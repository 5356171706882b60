import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempProject } from '../engine/project/tempProject';
import { eventually, startLanguageServer, type LanguageServer } from './languageServer';

const EDITED = 'def edit(request):\n    return request.session["coupon"]\n';
const OTHERS = 30;

describe('diagnostics of files an edit does not change', () => {
  let root: string;
  let edited: string;
  let server: LanguageServer;
  const others = () => Array.from({ length: OTHERS }, (_, i) => path.join(root, `other${i}.py`));
  const lines = () => (server.diagnostics.get(edited) ?? []).map((d) => `${String(d.code)}@${d.range.start.line}`);

  before(async () => {
    const files: Record<string, string> = { 'edited.py': EDITED };
    for (let i = 0; i < OTHERS; i++) {
      files[`other${i}.py`] = `def view${i}(request):\n    return request.session["missing_${i}"]\n`;
    }
    root = tempProject(files);
    edited = path.join(root, 'edited.py');
    server = await startLanguageServer([root]);
    await eventually(() => assert.ok(others().every((file) => server.diagnostics.get(file)?.length === 1)));
  });
  after(async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('are not sent again on every lint of the project, while the edited file gets each version its own', async () => {
    const before = others().map((file) => server.publications.get(file));
    server.open(edited, EDITED);
    await eventually(() => assert.deepEqual(lines(), ['DS101@1']));
    for (const blank of [1, 2, 3]) {
      server.change(edited, `${'\n'.repeat(blank)}${EDITED}`);
      await eventually(() => assert.deepEqual(lines(), [`DS101@${blank + 1}`]));
    }
    // The same findings at a newer version: VS Code may have moved the last ones elsewhere.
    const versionBefore = server.diagnosticVersions.get(edited)!;
    server.change(edited, `\n\n\n${EDITED}`);
    await eventually(() => assert.equal(server.diagnosticVersions.get(edited), versionBefore + 1));
    assert.deepEqual(others().map((file) => server.publications.get(file)), before);
  });

  it('sends a file once when its findings go, and once when they come back', async () => {
    const other = others()[0]!;
    const before = server.publications.get(other)!;
    server.change(edited, `${EDITED}\n\ndef write(request):\n    request.session["missing_0"] = 1\n`);
    await eventually(() => assert.deepEqual(server.diagnostics.get(other), []));
    server.change(edited, EDITED);
    await eventually(() => assert.equal(server.diagnostics.get(other)?.length, 1));
    server.change(edited, `# again\n${EDITED}`);
    await eventually(() => assert.deepEqual(lines(), ['DS101@2']));
    assert.equal(server.publications.get(other), before + 2);
  });
});
