import type { Node } from 'web-tree-sitter';
import type { EvaluationContext } from './evaluationContext';
import { forkContext } from './evaluationOutcomes';
import { evaluateExpression } from './settingsExpression';

/** Calls that may load an environment file, by how they are spelt: `read_env(...)`, `env.read_env()`, `load_dotenv(...)`. */
const LOAD_CALL = /(^|\.)(read_env|load_dotenv)$/;

/**
 * Records the environment files a block that does not run would load (`if READ_DOT_ENV_FILE:
 * env.read_env(ROOT / ".env")` with the flag off): the settings load those files themselves,
 * so they are not also applied by guess (see `evaluateSettingsFile`). Each call is evaluated in
 * a copy of the context, so nothing it loads or reports leaks.
 */
export function noteEnvFileLoads(block: Node, ctx: EvaluationContext): void {
  for (const call of block.descendantsOfType('call')) {
    const callee = call?.childForFieldName('function');
    if (call && callee && LOAD_CALL.test(callee.text)) {
      evaluateExpression(call, forkContext(ctx));
    }
  }
}
