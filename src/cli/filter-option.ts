/** The --filter option shared by every command: compiled once, or reported as the engine renders it. */
import { FilterError, compileFilter, type CompiledFilter } from '../filter/index.js';

/**
 * The compiled --filter, or null after printing the error (expression, caret
 * line, message) on stderr. `secretsShown`: --show-secrets was given, so
 * filters on passwords can match.
 */
export function compileOrReport(expression: string | undefined, secretsShown = false): CompiledFilter | null {
  try {
    return compileFilter(expression ?? '', { secretsShown });
  } catch (err) {
    if (!(err instanceof FilterError)) throw err;
    process.stderr.write(`mailscope: invalid --filter:\n${err.render()}\n`);
    return null;
  }
}
