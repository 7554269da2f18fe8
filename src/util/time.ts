/** Timestamps travel as bigint nanoseconds since the epoch; these turn them into text without losing digits. */

const NS_PER_SEC = 1_000_000_000n;

let lastSec = -1n;
let lastBase = '';

/** ISO 8601 in UTC with microseconds, or nanoseconds when the value has sub-microsecond digits. */
export function formatIso(ts: bigint): string {
  const sec = ts / NS_PER_SEC;
  const ns = Number(ts % NS_PER_SEC);
  // Timestamps come in capture order, so the date-and-second part is nearly always the last one's.
  if (sec !== lastSec) {
    lastSec = sec;
    lastBase = new Date(Number(sec) * 1000).toISOString().slice(0, 19);
  }
  const base = lastBase;
  const frac = ns % 1000 === 0 ? String(ns / 1000).padStart(6, '0') : String(ns).padStart(9, '0');
  // One flat string (join), not a cons-string tree: sessions keep their timestamps.
  return [base, '.', frac, 'Z'].join('');
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
