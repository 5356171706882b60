import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPythonParser } from '../analysis/pythonParser';
import { type DiscoveryOptions, type DjangoProject, projectEnvironment, type ResolvedSetting, resolvedSettings } from './discoverProjects';
import { evaluateSettingsFile } from './settingsEvaluation';

/** One settings module a project can run with. */
export interface SettingsVariant {
  file: string;
  settings: ResolvedSetting[];
}

/**
 * The settings modules a project can run with: the configured one and, for a settings
 * package (`config/settings/{base,dev,prod}.py`), every module of that package that no other
 * module of it imports — the leaves (`dev`, `prod`), not the shared `base`.
 */
export async function settingsVariants(project: DjangoProject, opts: DiscoveryOptions = {}): Promise<SettingsVariant[]> {
  const configured = project.settingsFiles[0];
  if (!configured) {
    return [];
  }
  const variants: SettingsVariant[] = [{ file: configured, settings: project.settings }];
  const dir = path.dirname(configured);
  if (path.basename(configured) === '__init__.py' || !/settings/i.test(path.basename(dir)) || !fs.existsSync(path.join(dir, '__init__.py'))) {
    return variants;
  }
  const siblings = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.py') && name !== '__init__.py')
    .map((name) => path.join(dir, name))
    .filter((file) => file !== configured)
    .sort();
  if (siblings.length === 0) {
    return variants;
  }
  const python = await loadPythonParser();
  const { env } = projectEnvironment(project.root, opts);
  const evaluated = siblings.map((file) => ({ file, result: evaluateSettingsFile(python, file, project.root, env) }));
  const imported = new Set([...project.settingsFiles.slice(1), ...evaluated.flatMap(({ result }) => result.files.slice(1))]);
  for (const { file, result } of evaluated) {
    if (!imported.has(file)) {
      variants.push({ file, settings: resolvedSettings(result.values) });
    }
  }
  return variants;
}
