import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPythonParser } from '../analysis/pythonParser';
import { type DiscoveryOptions, type DjangoProject, projectEnvironment, type ResolvedSetting, resolvedSettings } from './discoverProjects';
import { moduleFile } from './moduleFile';
import { evaluateSettingsFile } from './settingsEvaluation';
import { entryPointSettingsModules } from './settingsModuleSource';

/** One settings module a project can run with. */
export interface SettingsVariant {
  file: string;
  /** `file` and the modules it imports settings from, `file` first, as `DjangoProject.settingsFiles`. */
  files: string[];
  settings: ResolvedSetting[];
  /** What the module's name says it is for, when not deployment (see settingsRole). */
  role?: 'test' | 'development';
}

const TEST_SETTINGS = /(?:^|_)(?:tests?|testing|ci|pytest)(?:_|$)/;
const DEVELOPMENT_SETTINGS = /(?:^|_)(?:dev|develop|development|local)(?:_|$)/;

/** `test.py`, `settings_test.py`, `ci.py`: a test run's settings; `dev.py`, `local.py`: a developer's machine. */
function settingsRole(file: string): 'test' | 'development' | undefined {
  const name = path.basename(file, '.py').toLowerCase();
  return TEST_SETTINGS.test(name) ? 'test' : DEVELOPMENT_SETTINGS.test(name) ? 'development' : undefined;
}

/**
 * The settings modules a project can run with: the configured one; every module manage.py,
 * wsgi.py or asgi.py names; and, beside the configured one, the other settings modules that no
 * settings module imports, the leaves (`dev`, `prod`, not the shared `base`): every module of a
 * settings package (`config/settings/{base,dev,prod}.py`), or in a flat layout the modules
 * named like settings (`proj/settings_prod.py` beside `proj/settings.py`).
 */
export async function settingsVariants(project: DjangoProject, opts: DiscoveryOptions = {}): Promise<SettingsVariant[]> {
  const configured = project.settingsFiles[0];
  if (!configured) {
    return [];
  }
  const variants: SettingsVariant[] = [withRole({ file: configured, files: project.settingsFiles, settings: project.settings })];
  // Settings named explicitly are the ones to judge.
  if (opts.settingsModule !== undefined) {
    return variants;
  }
  const named = [
    ...new Set(
      entryPointSettingsModules(project.root, project.managePy)
        .map(({ module }) => moduleFile(project.root, undefined, module))
        .filter((file): file is string => file !== undefined && file !== configured),
    ),
  ];
  const siblings = siblingSettingsFiles(configured).filter((file) => file !== configured && !named.includes(file));
  if (named.length === 0 && siblings.length === 0) {
    return variants;
  }
  const python = await loadPythonParser();
  const { processEnv, dotEnvFiles } = projectEnvironment(project.root, opts);
  const evaluate = (file: string) => ({ file, result: evaluateSettingsFile(python, file, project.root, processEnv, dotEnvFiles, opts.settingsText) });
  const namedEvaluated = named.map(evaluate);
  const siblingsEvaluated = siblings.map(evaluate);
  const imported = new Set([...project.settingsFiles.slice(1), ...[...namedEvaluated, ...siblingsEvaluated].flatMap(({ result }) => result.files.slice(1))]);
  for (const { file, result } of [...namedEvaluated, ...siblingsEvaluated.filter(({ file }) => !imported.has(file))]) {
    variants.push(withRole({ file, files: result.files, settings: resolvedSettings(result.values) }));
  }
  return variants;
}

function withRole(variant: SettingsVariant): SettingsVariant {
  const role = settingsRole(variant.file);
  return role ? { ...variant, role } : variant;
}

/** The `.py` files beside a settings module that may be other settings modules, sorted. */
function siblingSettingsFiles(configured: string): string[] {
  const dir = path.dirname(configured);
  const name = path.basename(configured);
  if (name === '__init__.py') {
    return [];
  }
  // The configured module imports from it, so it is a package, a namespace package without __init__.py too (djangoproject.com's settings/).
  const inPackage = /settings/i.test(path.basename(dir));
  if (!inPackage && !/settings/i.test(name)) {
    return [];
  }
  return fs
    .readdirSync(dir)
    .filter((entry) => entry.endsWith('.py') && entry !== '__init__.py' && (inPackage || /settings/i.test(entry)))
    .map((entry) => path.join(dir, entry))
    .sort();
}
