// Runs the integration suite in a desktop VS Code that @vscode/test-electron downloads (cached in
// .vscode-test/). For machines that can reach update.code.visualstudio.com and have a display
// (on a headless Linux CI, run under xvfb-run).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

/** Returns the process exit code: 0 when every test passed. */
export async function runElectron({ extensionDevelopmentPath, extensionTestsPath, workspace }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-integration-'));
  const resultFile = path.join(dir, 'result.json');
  try {
    let code;
    try {
      // VS Code prints the extension host's output, the reporter's included, and exits when run()
      // settles, non-zero (a rejection here) when a test failed.
      code = await runTests({
        extensionDevelopmentPath,
        extensionTestsPath,
        extensionTestsEnv: { DJS_TEST_RESULT: resultFile },
        launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
        timeout: 30_000,
      });
    } catch (err) {
      console.error(`integration (electron): ${err instanceof Error ? err.message : err}`);
      code = 1;
    }
    if (fs.existsSync(resultFile)) {
      const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
      console.log(`integration (electron, VS Code ${result.vscodeVersion}): ${result.passed} passed, ${result.failed} failed`);
    }
    return code;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
