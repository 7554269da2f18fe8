/**
 * Display filters over sessions, in Wireshark 4's syntax: the one engine
 * behind `read --filter`, `transcript --filter`, the exports and the UI's
 * filter bar.
 *
 *   const f = compileFilter('smtp.response.code >= 400 && !tls');
 *   if (f.matches(session)) ...; f.matchingExchanges(session) -> [3, 4]
 */
import type { Session } from '../session/model.js';
import { FilterError } from './errors.js';
import { compileTree, EvalContext, type Test } from './evaluate.js';
import { FIELDS } from './fields.js';
import { parse } from './parser.js';
import { typecheck, type CheckOptions } from './typecheck.js';
import type { Value } from './values.js';

export { FilterError } from './errors.js';
export type { CheckOptions } from './typecheck.js';
export { listFields, type FieldInfo, type FieldType } from './fields.js';

export interface CompiledFilter {
  readonly text: string;
  /** Does the session match? (Wireshark 4 semantics: == any, != none/all-not-equal, === all, ~= any-not-equal) */
  matches(session: Session): boolean;
  /**
   * Indexes of the exchanges that match on their own (exchange-level fields
   * taken from that exchange only, session-level fields from the session);
   * used to highlight them. Empty when the filter reads no exchange-level
   * field (nothing in particular to highlight) or is empty.
   */
  matchingExchanges(session: Session): number[];
}

/**
 * Parses and type-checks; throws FilterError. An empty or blank expression
 * matches everything. `secretsShown`: the sessions carry secrets
 * (--show-secrets); without it a comparison of a secret field is an error
 * that says why, since it could never match "<redacted>".
 */
export function compileFilter(expression: string, options: CheckOptions = {}): CompiledFilter {
  if (expression.trim() === '') {
    return { text: expression, matches: () => true, matchingExchanges: () => [] };
  }
  const { tree, slots } = typecheck(expression, parse(expression), options);
  const test = compileTree(tree);
  const perExchange = [...slots].some((slot) => FIELDS[slot].exchange !== undefined || FIELDS[slot].exchangeContent !== undefined);
  return new Compiled(expression, test, perExchange);
}

/** For the UI's filter bar: null when valid, else the error (never throws). */
export function checkFilter(expression: string, options: CheckOptions = {}): FilterError | null {
  try {
    compileFilter(expression, options);
    return null;
  } catch (err) {
    if (err instanceof FilterError) return err;
    // A bug of ours, not the user's: still an answer the filter bar can show.
    return new FilterError(`internal error: ${(err as Error)?.message ?? String(err)}`, expression, 0, Math.max(1, expression.length));
  }
}

class Compiled implements CompiledFilter {
  constructor(readonly text: string, private readonly test: Test, private readonly perExchange: boolean) {}

  matches(session: Session): boolean {
    return this.test(new EvalContext(session));
  }

  matchingExchanges(session: Session): number[] {
    if (!this.perExchange) return [];
    const shared: Array<Value[] | undefined> = new Array(FIELDS.length);
    const out: number[] = [];
    for (let i = 0; i < session.exchanges.length; i++) {
      if (this.test(new EvalContext(session, i, shared))) out.push(i);
    }
    return out;
  }
}
