import { nextEventLoopTurn } from '../sql/eventLoopTurn';

/** The signals that stop a process by default: Ctrl-C, a service manager's stop, a closed terminal. */
const STOPPING: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs a synchronous section that must not be cut short, such as a copy written beside a file and
 * renamed over it, with the stopping signals held: one that arrives meanwhile takes effect right
 * after the section. The process's own listeners get it as usual; where it has none, the signal
 * is sent again, so it stops the process as it would have, only later.
 */
export async function whileSignalsHeld<T>(section: () => T): Promise<T> {
  const received: NodeJS.Signals[] = [];
  const hold = (signal: NodeJS.Signals): void => void received.push(signal);
  STOPPING.forEach((signal) => process.on(signal, hold));
  try {
    return section();
  } finally {
    // Node runs a signal's listeners on a later turn of the event loop, never inside the section.
    await nextEventLoopTurn();
    STOPPING.forEach((signal) => process.off(signal, hold));
    const signal = received[0];
    if (signal && process.listenerCount(signal) === 0) {
      process.kill(process.pid, signal);
    }
  }
}
