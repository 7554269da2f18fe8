/**
 * Moving through the detail view: to the next failing or matched exchange
 * (n / N), or to the next line holding a searched text (/ then n / N). A
 * target is shown one line below the top, so the line before it gives context.
 */

/** Indices of the lines whose text holds `text`, in any case. */
export function linesWith(lines: readonly { text: string }[], text: string): number[] {
  const q = text.toLowerCase();
  if (!q) return [];
  const hits: number[] = [];
  lines.forEach((l, i) => {
    if (l.text.toLowerCase().includes(q)) hits.push(i);
  });
  return hits;
}

/**
 * The next (dir 1) or previous (-1) target line for a view whose first line
 * is `top`; undefined when there is none. `fromTop`: a target on the top
 * line itself counts (a new search starts where the reader is).
 */
export function nextTarget(targets: readonly number[], top: number, dir: 1 | -1, fromTop = false): number | undefined {
  const current = top + 1;
  if (dir === 1) return targets.find((i) => (fromTop ? i >= top : i > current));
  for (let k = targets.length - 1; k >= 0; k--) if (targets[k]! < current) return targets[k];
  return undefined;
}

/** Where to scroll so that `line` shows one below the top. */
export const topFor = (line: number): number => line - 1;
