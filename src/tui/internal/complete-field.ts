/**
 * Tab completion of a field name in the filter bar: the word before the caret
 * is completed from the engine's own field list (as termshark does), to the
 * longest prefix the candidates share.
 */

export interface Completion {
  text: string;
  cursor: number;
  /** The candidates, when more than one remains. */
  candidates: string[];
}

const FIELD_CHAR = /[A-Za-z0-9_.]/;

export function completeField(text: string, cursor: number, fields: readonly string[]): Completion {
  let start = cursor;
  while (start > 0 && FIELD_CHAR.test(text[start - 1])) start--;
  const word = text.slice(start, cursor);
  const candidates = fields.filter((f) => f.startsWith(word)).sort();
  if (word === '' || candidates.length === 0) return { text, cursor, candidates: [] };
  let common = candidates[0];
  for (const c of candidates) {
    let n = 0;
    while (n < common.length && n < c.length && common[n] === c[n]) n++;
    common = common.slice(0, n);
  }
  const done = candidates.length === 1 ? common + ' ' : common;
  const next = text.slice(0, start) + done + text.slice(cursor);
  return { text: next, cursor: start + done.length, candidates: candidates.length > 1 ? candidates : [] };
}
