import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPythonParser } from '../../../../engine/src/analysis';
import { settingValueToJson } from '../../../../engine/src/project';
import { evaluateSettingsFile } from '../../../../engine/src/project/settingsEvaluation';
import { tempProject } from './tempProject';

const made: string[] = [];
process.on('exit', () => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/**
 * Evaluates the settings file `settings` (a path among `files`) of a fresh temporary project,
 * removed when the process exits, with the environment `env`; `json(name)` is a setting's value as JSON.
 */
export async function evaluatedSettings(files: Record<string, string>, settings: string, env: Record<string, string> = {}) {
  const dir = tempProject(files, 'ds-settings-');
  made.push(dir);
  const result = evaluateSettingsFile(await loadPythonParser(), path.join(dir, settings), dir, new Map(Object.entries(env)));
  const json = (name: string): unknown => {
    const binding = result.values.get(name);
    return binding && settingValueToJson(binding.value);
  };
  return { result, json, dir };
}
