import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { PYTHON } from './realDjango';

/** A real Django process saving sessions in a loop, alongside a test's own changes. */
interface DjangoWriter<T> {
  /** Once it exits, having succeeded: what it reports on stdout that it wrote. */
  finished(): Promise<T>;
}

/**
 * Starts a script from test/interop/python and resolves once it says `ready` on stderr, so that
 * Django is writing before the test starts its own changes. `input` goes to its stdin as JSON;
 * `djangoPath` puts another Django (such as .cache/django52) before the machine's 3.2.
 */
export function startDjangoWriter<T>(script: string, args: string[], input?: unknown, djangoPath?: string): Promise<DjangoWriter<T>> {
  const writer = spawn(PYTHON, [path.join(__dirname, 'python', script), ...args], {
    ...(djangoPath ? { env: { ...process.env, PYTHONPATH: djangoPath } } : {}),
  });
  writer.stdin.end(input === undefined ? undefined : JSON.stringify(input));
  let stdout = '';
  let stderr = '';
  writer.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((resolve) => writer.on('close', resolve));
  const finished = async () => {
    assert.equal(await exited, 0, stderr);
    return JSON.parse(stdout) as T;
  };
  return new Promise((resolve, reject) => {
    writer.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('ready')) {
        resolve({ finished });
      }
    });
    void exited.then((code) => reject(new Error(`${script} exited (${code}) before it was ready: ${stderr}`)));
  });
}
