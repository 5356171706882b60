// Runs the integration suite inside code-server (VS Code 1.100.3 served to headless Chromium):
// the workbench URL's payload makes it an Extension Development Host that calls run() in
// extensionTestsPath. The browser never exits by itself, so the test entry writes its result to
// the file named by DJS_TEST_RESULT (code-server passes its environment on to the extension
// host, checked), and this launcher waits for that file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchChromium, remoteUri, start, workbenchUrl } from '../../scripts/codeServer.mjs';

const WORKBENCH_TIMEOUT_MS = 60_000;
const RUN_TIMEOUT_MS = 5 * 60_000;
const POLL_MS = 250;

/** Returns the process exit code: 0 when every test passed. */
export async function runCodeServer({ extensionDevelopmentPath, extensionTestsPath, workspace }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-integration-'));
  const resultFile = path.join(dir, 'result.json');
  let server;
  let browser;
  // The workbench echoes the extension host's console to the page console, mixed with its own
  // logging; kept for a failure report, while a passing run prints just the reporter's text.
  const consoleLines = [];
  try {
    server = await start({ workspace, env: { DJS_TEST_RESULT: resultFile } });
    browser = await launchChromium();
    const page = await browser.newPage();
    page.on('console', (msg) => consoleLines.push(msg.text().replace(/^%c\s*(\w+) color: #\w+ /, '$1 ')));
    page.on('pageerror', (err) => consoleLines.push(`page error: ${err.message}`));
    let ended;
    page.on('crash', () => (ended = 'the workbench page crashed'));
    // The workbench calls this when run() settles (it is how VS Code's own web test runner
    // learns the exit code), so a run that dies before writing a result fails at once.
    await page.exposeFunction('codeAutomationExit', (code) => (ended ??= `the test run ended (exit code ${code}) without writing a result`));
    server.exited.then((code) => (ended ??= `code-server exited (${code}) during the run`));

    const url = workbenchUrl(server, {
      ...(workspace.endsWith('.code-workspace') ? { workspace } : { folder: workspace }),
      payload: [
        ['extensionDevelopmentPath', remoteUri(server, extensionDevelopmentPath)],
        ['extensionTestsPath', remoteUri(server, extensionTestsPath)],
      ],
    });
    const loadStart = Date.now();
    await page.goto(url, { timeout: WORKBENCH_TIMEOUT_MS });
    await page.waitForSelector('.monaco-workbench', { timeout: WORKBENCH_TIMEOUT_MS });
    console.log(`code-server: workbench loaded in ${((Date.now() - loadStart) / 1000).toFixed(1)} s`);

    const deadline = Date.now() + RUN_TIMEOUT_MS;
    while (!fs.existsSync(resultFile)) {
      if (ended) throw new Error(ended);
      if (Date.now() > deadline) throw new Error(`no test result after ${RUN_TIMEOUT_MS / 1000} s (is run() in ${extensionTestsPath} hanging?)`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    console.log(result.output);
    console.log(`integration (code-server, VS Code ${result.vscodeVersion}): ${result.passed} passed, ${result.failed} failed`);
    if (result.failed === 0 && result.passed > 0) return 0;
    console.log(`--- workbench and extension host console ---\n${consoleLines.join('\n')}`);
    return 1;
  } catch (err) {
    console.error(`integration (code-server): ${err.message}`);
    console.error(`--- workbench and extension host console ---\n${consoleLines.join('\n')}`);
    if (server) console.error(`--- code-server output ---\n${server.output()}`);
    return 1;
  } finally {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
