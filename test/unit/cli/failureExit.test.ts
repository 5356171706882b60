import * as assert from 'node:assert/strict';
import { failureExit, TRACE_VARIABLE } from '../../../cli/src/failureExit';

/** What failureExit writes to stderr, and the exit code it returns. */
function failed(err: unknown, env: NodeJS.ProcessEnv): { code: number; err: string } {
  let written = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => ((written += chunk), true)) as typeof process.stderr.write;
  try {
    return { code: failureExit(err, env), err: written };
  } finally {
    process.stderr.write = write;
  }
}

describe('failureExit for a failure no part of the CLI expected', () => {
  it('says it on one line, as a bug to report, with the stack trace only on request', () => {
    const plain = failed(new Error('something broke\nsecond line'), {});
    assert.equal(plain.code, 3);
    assert.equal(plain.err, `django-sessions: unexpected failure: something broke. This is a bug; please report it with the command that led to it (set ${TRACE_VARIABLE}=1 for the stack trace)\n`);
    const traced = failed(new Error('something broke'), { [TRACE_VARIABLE]: '1' });
    assert.match(traced.err, /^django-sessions: unexpected failure: something broke\. This is a bug; please report it with the command that led to it\nError: something broke\n\s+at /);
  });
});
