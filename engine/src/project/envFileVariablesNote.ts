import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DjangoProject } from './discoverProjects';
import { loadedDotEnvValues, readDotEnvFile } from './dotEnv';

const NEEDS_VARIABLE = /needs environment variable (\w+)/g;
/** cookiecutter-django's per-environment files, which its docker-compose hands to Django. */
const ENVS_DIR = '.envs';

/**
 * Says where the variables the settings need but that are not set here are written down: in a
 * project `.env` (or cookiecutter-django's `.envs/*`) that the settings, as read here, do not load
 * (cookiecutter loads `.env` only when DJANGO_READ_DOT_ENV_FILE is set; docker-compose loads
 * `.envs/.local/.django`). Django has them where something loads that file; VS Code and the CLI
 * have them only in the environment they start from. Undefined when no such file names one.
 */
export function envFileVariablesNote(project: Pick<DjangoProject, 'root' | 'problems' | 'envFiles'>, showFile: (file: string) => string): string | undefined {
  const needed = new Set([...project.problems.flatMap((problem) => [...problem.message.matchAll(NEEDS_VARIABLE)].map((match) => match[1]!))]);
  if (needed.size === 0) {
    return undefined;
  }
  const found: string[] = [];
  const written = new Set<string>();
  for (const file of [...new Set([...project.envFiles, ...envsFiles(project.root)])]) {
    const variables = loadedDotEnvValues(new Map(readDotEnvFile(file)));
    const names = [...needed].filter((name) => variables.has(name));
    names.forEach((name) => written.add(name));
    if (names.length > 0) {
      found.push(`${showFile(file)} (${names.join(', ')})`);
    }
  }
  if (found.length === 0) {
    return undefined;
  }
  const names = [...written];
  const one = names.length === 1;
  return `${names.join(', ')} ${one ? 'is' : 'are'} not set here, but written in ${found.join(' and ')}, which the settings as read here do not load (they load such a file only under a condition, or docker-compose or direnv loads it for Django); set ${one ? 'it' : 'them'} in the environment VS Code or the CLI starts from, or name the store with a URL`;
}

/** The files in `.envs/<environment>/`, as cookiecutter-django lays them out. */
function envsFiles(root: string): string[] {
  const dir = path.join(root, ENVS_DIR);
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? fs.readdirSync(path.join(dir, entry.name)).map((name) => path.join(dir, entry.name, name)) : []));
  } catch {
    return [];
  }
}
