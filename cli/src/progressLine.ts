/** Where progress goes: stderr, or a stand-in in tests. */
interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** A running count shown while a long operation works, and wiped when it ends. */
export interface ProgressLine {
  /** The engine's `onProgress`: records the count, redrawn at most every few hundred milliseconds. */
  update(done: number): void;
  /** Wipes the line, so the result prints on a clean one. */
  end(): void;
}

const REDRAW_MS = 250;

/** A progress line that shows nothing: for output that is not a terminal, or work that reports no count. */
export const NO_PROGRESS: ProgressLine = { update: () => undefined, end: () => undefined };

/**
 * A count on one terminal line (`\r`-redrawn), throttled so that fast batches do not flood the
 * terminal. Only on a terminal: piped or redirected stderr (CI logs, `2>file`) gets nothing, and
 * stdout is never touched, so `--json` output stays one document.
 */
export function progressLine(label: string, stream: ProgressStream = process.stderr, now: () => number = Date.now): ProgressLine {
  if (!stream.isTTY) {
    return NO_PROGRESS;
  }
  let drawn = false;
  let last = -Infinity;
  return {
    update(done) {
      const t = now();
      if (t - last >= REDRAW_MS) {
        last = t;
        drawn = true;
        stream.write(`\r\x1b[K${label}: ${done}…`);
      }
    },
    end() {
      if (drawn) {
        stream.write('\r\x1b[K');
      }
    },
  };
}
