import { spawnSync } from 'node:child_process';

/** Debian's Python, as the interop tests use it; another python3 may come first on PATH. */
const PYTHON = '/usr/bin/python3';

/** Runs a Python snippet with `input` on stdin; its stdout, or an error carrying its stderr. */
export function runPython(code: string, input = '', args: string[] = []): string {
  const result = spawnSync(PYTHON, ['-c', code, ...args], { input, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`python failed (${result.status}): ${result.stderr || result.error?.message}`);
  }
  return result.stdout;
}

/** The str constants of a module as real Python compiles it, in order; throws where it does not compile. */
export function compiledStrings(source: string): string[] {
  const code = 'import ast, json, sys\nt = ast.parse(sys.stdin.read())\nprint(json.dumps([n.value for n in ast.walk(t) if isinstance(n, ast.Constant) and isinstance(n.value, str)]))';
  return JSON.parse(runPython(code, source)) as string[];
}
