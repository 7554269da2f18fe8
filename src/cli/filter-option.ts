/** The --filter option shared by every command: compiled once, or reported as the engine renders it. */
import { FilterError, compileFilter, type CompiledFilter } from '../filter/index.js';

/** The compiled --filter, or null after printing the error (expression, caret line, message) on stderr. */
export function compileOrReport(expression: string | undefined): CompiledFilter | null {
  try {
    return compileFilter(expression ?? '');
  } catch (err) {
    if (!(err instanceof FilterError)) throw err;
    process.stderr.write(`mailscope: invalid --filter:\n${err.render()}\n`);
    return null;
  }
}
