/**
 * Makes a reader that stops early a reader's choice, not a failure of the command.
 * `django-sessions list | head` closes stdout: the process ends at once with exit 0, as there is
 * no one left to print for. `lint . 2>&1 >report.txt | head` closes stderr only: the notes after
 * that are lost, but the command goes on, its output complete and its exit code its own, where
 * the EPIPE thrown would otherwise end it with exit 1 and a stack trace.
 */
export function toleratePipesClosedEarly(stdout: NodeJS.EventEmitter = process.stdout, stderr: NodeJS.EventEmitter = process.stderr): void {
  stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') {
      process.exit(0);
    }
    throw err;
  });
  stderr.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') {
      throw err;
    }
  });
}
