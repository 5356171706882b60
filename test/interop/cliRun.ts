import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../cli/src/main';

/** Runs the CLI in this process with `env` (default none), capturing stdout and stderr; returns the exit code and the output. */
export async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((err += chunk), true)) as typeof process.stderr.write;
  try {
    const code = await main(args, env);
    return { code, out, err };
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
}

/** A project whose settings give the key and time zone a store URL cannot carry. */
export function cliProject(config: { secret: string; use_tz: boolean; time_zone: string }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-cli-cwd-'));
  fs.writeFileSync(path.join(dir, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n');
  fs.mkdirSync(path.join(dir, 'conf'));
  fs.writeFileSync(path.join(dir, 'conf', '__init__.py'), '');
  fs.writeFileSync(
    path.join(dir, 'conf', 'settings.py'),
    `SECRET_KEY = '${config.secret}'\nUSE_TZ = ${config.use_tz ? 'True' : 'False'}\nTIME_ZONE = '${config.time_zone}'\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'unused.sqlite3'}}\n`,
  );
  return dir;
}
