/** Timestamps travel as bigint nanoseconds since the epoch; these turn them into text without losing digits. */

const NS_PER_SEC = 1_000_000_000n;

/** The second formatIso wrote last: its first nanosecond, and its text up to and including the ".". */
let secondStartNs = -1n;
let secondText = '';

/** "000" to "999": a fraction is written three digits at a time. */
const THREE_DIGITS: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * The pieces of formatIso's result, joined into one flat string (not a tree
 * of cons strings: sessions keep their timestamps). Reused: join is all that
 * reads it, so no array is made per timestamp.
 */
const pieces = ['', '', '', '', 'Z'];

/** ISO 8601 in UTC with microseconds, or nanoseconds when the value has sub-microsecond digits. */
export function formatIso(ts: bigint): string {
  // Timestamps come in capture order, so the date-and-second part is nearly always the last one's:
  // then a comparison and a subtraction find the fraction, instead of two bigint divisions.
  let ns: number;
  const offset = ts - secondStartNs;
  if (secondStartNs >= 0n && offset >= 0n && offset < NS_PER_SEC) {
    ns = Number(offset);
  } else {
    const sec = ts / NS_PER_SEC;
    ns = Number(ts % NS_PER_SEC);
    secondText = new Date(Number(sec) * 1000).toISOString().slice(0, 19) + '.';
    // Only a non-negative time has its fraction in [0, 1 s) after the second's start (% truncates towards zero).
    secondStartNs = ts >= 0n ? sec * NS_PER_SEC : -1n;
  }
  if (ns < 0) return [secondText, ns % 1000 === 0 ? String(ns / 1000).padStart(6, '0') : String(ns).padStart(9, '0'), 'Z'].join('');
  const sub = ns % 1000;
  const us = (ns - sub) / 1000;
  const ms = (us - (us % 1000)) / 1000;
  pieces[0] = secondText;
  pieces[1] = THREE_DIGITS[ms];
  pieces[2] = THREE_DIGITS[us % 1000];
  pieces[3] = sub === 0 ? '' : THREE_DIGITS[sub];
  return pieces.join('');
}

/** Time of day only (HH:MM:SS.ffffff, UTC), for dense listings. */
export function formatClock(ts: bigint): string {
  return formatIso(ts).slice(11, -1);
}

/** A duration in seconds with microsecond precision. */
export function formatSeconds(ns: bigint): string {
  const us = ns / 1000n;
  const whole = us / 1_000_000n;
  const frac = (us % 1_000_000n).toString().padStart(6, '0');
  return `${whole}.${frac}`;
}

/** Parses what formatIso wrote back into nanoseconds (for latencies between model timestamps). */
export function parseIso(iso: string): bigint {
  // The common shape, YYYY-MM-DDTHH:MM:SS.fffffffffZ, without a regular expression, and the seconds'
  // Date.parse reused: the timestamps of a session (and of the sessions after it) share their second.
  const end = iso.length - 1;
  if (iso.charCodeAt(19) === 46 /* . */ && iso.charCodeAt(end) === 90 /* Z */ && end > 20 && end <= 29) {
    const head = iso.slice(0, 19);
    if (head !== parsedSecond.text) {
      const ms = Date.parse(head + 'Z');
      if (Number.isNaN(ms)) return parseIsoSlow(iso);
      parsedSecond.text = head;
      parsedSecond.ns = (BigInt(ms) / 1000n) * 1_000_000_000n;
    }
    let frac = 0;
    for (let i = 20; i < end; i++) {
      const d = iso.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return parseIsoSlow(iso);
      frac = frac * 10 + d;
    }
    return parsedSecond.ns + BigInt(frac * 10 ** (29 - end));
  }
  return parseIsoSlow(iso);
}

const parsedSecond = { text: '', ns: 0n };

function parseIsoSlow(iso: string): bigint {
  const m = /^(.*T\d\d:\d\d:\d\d)\.(\d+)Z$/.exec(iso);
  if (!m) return BigInt(Date.parse(iso)) * 1_000_000n;
  const sec = BigInt(Date.parse(m[1] + 'Z')) / 1000n;
  return sec * 1_000_000_000n + BigInt(m[2].padEnd(9, '0').slice(0, 9));
}
