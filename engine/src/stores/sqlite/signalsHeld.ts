import { STOPPING_SIGNALS } from '../../stoppingSignals';
import { nextEventLoopTurn } from '../sql/eventLoopTurn';

/**
 * Runs a synchronous section that must not be cut short, such as a copy written beside a file and
 * renamed over it, with the stopping signals held: one that arrives meanwhile takes effect right
 * after the section. The process's own listeners get it as usual; where it had none when the
 * section began, the signal is sent again, so it stops the process as it would have, only later.
 * (A `once` listener has removed itself by then, and must not be taken for none.)
 */
export async function whileSignalsHeld<T>(section: () => T): Promise<T> {
  const received: NodeJS.Signals[] = [];
  const unheard = new Set(STOPPING_SIGNALS.filter((signal) => process.listenerCount(signal) === 0));
  const hold = (signal: NodeJS.Signals): void => void received.push(signal);
  STOPPING_SIGNALS.forEach((signal) => process.on(signal, hold));
  try {
    return section();
  } finally {
    // Node runs a signal's listeners on a later turn of the event loop, never inside the section.
    await nextEventLoopTurn();
    STOPPING_SIGNALS.forEach((signal) => process.off(signal, hold));
    const signal = received[0];
    if (signal && unheard.has(signal)) {
      process.kill(process.pid, signal);
    }
  }
}
