import * as assert from 'node:assert/strict';
import { progressLine } from '../../../cli/src/progressLine';

/** A stand-in for stderr, and a clock the test moves. */
function terminal(isTTY: boolean) {
  const written: string[] = [];
  let now = 0;
  return { stream: { isTTY, write: (t: string) => written.push(t) }, written, clock: () => now, advance: (ms: number) => (now += ms) };
}

describe('CLI progress line', () => {
  it('redraws a count on one terminal line at most every 250 ms, and wipes it at the end', () => {
    const t = terminal(true);
    const line = progressLine('expired sessions deleted', t.stream, t.clock);
    line.update(1000);
    line.update(2000);
    t.advance(250);
    line.update(3000);
    line.end();
    assert.deepEqual(t.written, ['\r\x1b[Kexpired sessions deleted: 1000…', '\r\x1b[Kexpired sessions deleted: 3000…', '\r\x1b[K']);
  });

  it('writes nothing when stderr is not a terminal (pipes, CI logs)', () => {
    const t = terminal(false);
    const line = progressLine('deleted', t.stream, t.clock);
    line.update(5);
    line.end();
    assert.deepEqual(t.written, []);
  });
});
