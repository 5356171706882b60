// Creates the Mocha instance and installs the bdd globals (describe, it, ...). index.ts imports
// this module before the suite files, because ES imports run in order and the suites call
// describe() as they load; the bundle has no file list for Mocha to load at run time.
import Mocha from 'mocha';
import { format } from 'node:util';

export const mocha = new Mocha({
  ui: 'bdd',
  color: false,
  // Generous: the first test waits for the extension to activate and its server to index.
  timeout: 60_000,
});
mocha.suite.emit('pre-require', globalThis, 'integration', mocha);

/** The reporter's text, which the result file carries to a launcher that cannot read stdout. */
export const reporterOutput: string[] = [];
Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
  reporterOutput.push(format(...args));
  console.log(...args);
};
