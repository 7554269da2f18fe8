/**
 * Errors of the filter language: where (an offset and length in the
 * expression), what, and for a misspelt field the closest names. render()
 * shows the expression with a caret line under the offending part, as
 * Wireshark does:
 *
 *     smtp.respons.code == 250
 *     ^~~~~~~~~~~~~~~~~
 *     "smtp.respons.code" is not a valid field (did you mean smtp.response.code?)
 */

export class FilterError extends Error {
  /** 0-based offset in the expression of the offending part. */
  readonly position: number;
  /** Its length (>= 1; at the end of the expression the caret points just past it). */
  readonly length: number;
  /** Closest field names, for a misspelt field (best first). */
  readonly suggestions: string[];
  /** The expression the error is about. */
  readonly expression: string;

  constructor(message: string, expression: string, position: number, length = 1, suggestions: string[] = []) {
    super(message);
    this.name = 'FilterError';
    this.expression = expression;
    this.position = Math.max(0, Math.min(position, expression.length));
    this.length = Math.max(1, length);
    this.suggestions = suggestions;
  }

  /** The expression, and under it a caret line ("    ^~~~") marking the offending part, then the message. */
  render(): string {
    // Tabs keep their width in the caret line so the caret stays under the right character.
    const pad = this.expression.slice(0, this.position).replace(/[^\t]/g, ' ');
    const caret = '^' + '~'.repeat(this.length - 1);
    return `${this.expression}\n${pad}${caret}\n${this.message}`;
  }
}

/**
 * Optimal-string-alignment Damerau-Levenshtein distance: insertions,
 * deletions, substitutions and transpositions of adjacent characters each
 * cost 1 ("smtp.respnose" is one step from "smtp.response").
 */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m];
}

/**
 * The names closest to a misspelt one: those at the smallest distance found,
 * if it is within a bound that grows with the length of the name (a third of
 * it, at least 2); at most three, alphabetically. Case is ignored.
 */
export function closestNames(word: string, names: readonly string[], max = 3): string[] {
  const lower = word.toLowerCase();
  const limit = Math.max(2, Math.floor(word.length / 3));
  const scored: Array<{ name: string; d: number }> = [];
  for (const name of names) {
    const d = name === lower ? 0 : editDistance(lower, name.toLowerCase());
    if (d <= limit) scored.push({ name, d });
  }
  if (scored.length === 0) return [];
  const best = Math.min(...scored.map((s) => s.d));
  return scored.filter((s) => s.d === best).sort((x, y) => x.name.localeCompare(y.name)).slice(0, max).map((s) => s.name);
}

/** "a", "a or b", "a, b or c". */
export function orList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
