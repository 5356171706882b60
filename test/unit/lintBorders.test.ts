import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '../..');

/** The rule ids ESLint reports for `code` as if it were the file at `file`. */
async function violations(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('process borders (ESLint)', function () {
  this.timeout(60_000);

  it('keeps VS Code and LSP out of the engine', async () => {
    assert.deepEqual(await violations('engine/src/x.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n"), ['no-restricted-imports']);
    assert.deepEqual(await violations('engine/src/x.ts', "import { createConnection } from 'vscode-languageserver/node';\nexport const c = createConnection;\n"), ['no-restricted-imports']);
  });

  it('keeps stores out of the client', async () => {
    assert.deepEqual(await violations('client/src/x.ts', "import { openStore } from '../../engine/src';\nexport const o = openStore;\n"), ['no-restricted-imports']);
    assert.deepEqual(await violations('client/src/x.ts', "import initSqlJs from 'sql.js';\nexport const i = initSqlJs;\n"), ['no-restricted-imports']);
    assert.deepEqual(await violations('client/src/x.ts', "import { ListStoresRequest } from '../../server/src/protocol';\nexport const r = ListStoresRequest;\n"), []);
  });

  it('lets the server and CLI reach the engine through its index only', async () => {
    assert.deepEqual(await violations('server/src/x.ts', "import { openStore } from '../../engine/src';\nexport const o = openStore;\n"), []);
    assert.deepEqual(await violations('server/src/x.ts', "import { decodeRecord } from '../../engine/src/stores/decodeRecord';\nexport const d = decodeRecord;\n"), ['no-restricted-imports']);
    assert.deepEqual(await violations('cli/src/x.ts', "import { decodeRecord } from '../../engine/src/stores/decodeRecord';\nexport const d = decodeRecord;\n"), ['no-restricted-imports']);
  });
});
