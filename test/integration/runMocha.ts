// Runs the Mocha suites the entry module (index.ts, multiRoot.ts) imported, inside the extension
// host. Both launchers (runElectron.mjs, runCodeServer.mjs) set DJS_TEST_RESULT to a file path;
// the result JSON written there is how the code-server launcher learns the outcome, since a
// browser-served VS Code does not exit when the tests finish.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { mocha, reporterOutput } from './setupMocha';

interface Failure {
  title: string;
  error: string;
}

/** Runs the loaded suites; rejects when a test failed or none ran. */
export function run(): Promise<void> {
  const failures: Failure[] = [];
  let passed = 0;
  return new Promise((resolve, reject) => {
    mocha
      .run()
      .on('pass', () => passed++)
      .on('fail', (test, err: Error) => failures.push({ title: test.fullTitle(), error: err.stack ?? String(err) }))
      .on('end', () => {
        const result = {
          passed,
          failed: failures.length,
          failures,
          vscodeVersion: vscode.version,
          output: reporterOutput.join('\n'),
        };
        const file = process.env.DJS_TEST_RESULT;
        if (file) {
          // Renamed into place, so a launcher polling for the file never reads half of it.
          fs.writeFileSync(`${file}.partial`, JSON.stringify(result, null, 2));
          fs.renameSync(`${file}.partial`, file);
        }
        if (failures.length > 0) reject(new Error(`${failures.length} integration test(s) failed`));
        else if (passed === 0) reject(new Error('no integration tests ran'));
        else resolve();
      });
  });
}
