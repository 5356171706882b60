import * as fs from 'node:fs';
import type { PythonParser } from '../analysis/pythonParser';
import type { Binding, EvaluationContext, ProjectProblem } from './evaluationContext';
import { moduleFile } from './moduleFile';
import { runStatements } from './settingsStatements';

/** A settings module read statically: the final value of every module-level name. */
export interface EvaluatedSettings {
  file: string;
  values: Map<string, Binding>;
  problems: ProjectProblem[];
  /** Every project file read, the settings module first. */
  files: string[];
}

const MAX_IMPORT_DEPTH = 16;

/** Evaluates a settings file and the project modules it imports, without running Python. */
export function evaluateSettingsFile(python: PythonParser, file: string, projectRoot: string, env: ReadonlyMap<string, string>): EvaluatedSettings {
  const problems: ProjectProblem[] = [];
  const files: string[] = [];
  const cache = new Map<string, Map<string, Binding> | 'loading'>();

  function evaluate(target: string, depth: number): Map<string, Binding> | undefined {
    const cached = cache.get(target);
    if (cached === 'loading' || depth > MAX_IMPORT_DEPTH) {
      problems.push({ message: `settings import cycle through ${target}`, location: { file: target, line: 1, column: 0 } });
      return undefined;
    }
    if (cached) {
      return cached;
    }
    cache.set(target, 'loading');
    files.push(target);
    const namespace = new Map<string, Binding>();
    let text: string;
    try {
      text = fs.readFileSync(target, 'utf8');
    } catch (error) {
      problems.push({ message: `cannot read settings file ${target}: ${(error as Error).message}` });
      cache.delete(target);
      return undefined;
    }
    const tree = python.parser.parse(text);
    if (tree) {
      try {
        const ctx: EvaluationContext = {
          file: target,
          projectRoot,
          env,
          namespace,
          problems,
          importModule: (fromFile, moduleText) => {
            const imported = moduleFile(projectRoot, fromFile, moduleText);
            return imported ? evaluate(imported, depth + 1) : undefined;
          },
        };
        runStatements(tree.rootNode, ctx);
      } finally {
        tree.delete();
      }
    }
    cache.set(target, namespace);
    return namespace;
  }

  const values = evaluate(file, 0) ?? new Map<string, Binding>();
  return { file, values, problems, files };
}
