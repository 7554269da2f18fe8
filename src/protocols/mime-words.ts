/**
 * Header value helpers for MIME: RFC 2047 encoded words ("=?utf-8?B?...?=")
 * and RFC 2045 / RFC 2231 parameters (name*=utf-8''%E2%82%AC, name*0=...).
 */

/** A charset label TextDecoder knows, else latin1. */
function decodeBytes(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.trim().toLowerCase() || 'utf-8').decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

/** Decodes RFC 2047 encoded words; whitespace between two encoded words is dropped (RFC 2047 6.2). Bad words stay as written. */
export function decodeWords(text: string): string {
  const re = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;
  let out = '';
  let last = 0;
  let prevEncoded = false;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const between = text.slice(last, m.index);
    if (!(prevEncoded && /^\s*$/.test(between))) out += between;
    const charset = m[1]!.split('*')[0]!; // RFC 2231 5: charset*language
    const data = m[3]!;
    const bytes = m[2]!.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64')
      : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_s, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    out += decodeBytes(bytes, charset);
    last = m.index + m[0].length;
    prevEncoded = true;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** A structured header value: the main value and its parameters (names in lower case, RFC 2231 continuations joined and decoded). */
export function parseParams(text: string): { value: string; params: Map<string, string> } {
  const pieces = splitOutsideQuotes(text);
  const value = (pieces.shift() ?? '').trim();
  const plain = new Map<string, string>();
  const extended = new Map<string, { charset: string; parts: { n: number; text: string; encoded: boolean }[] }>();
  for (const piece of pieces) {
    const eq = piece.indexOf('=');
    if (eq <= 0) continue;
    const key = piece.slice(0, eq).trim().toLowerCase();
    let v = piece.slice(eq + 1).trim();
    if (v.startsWith('"')) v = v.replace(/^"|"$/g, '').replace(/\\(.)/g, '$1');
    const m = /^([^*]+)(?:\*(\d+))?(\*)?$/.exec(key);
    if (!m) continue;
    const [, base, index, star] = m;
    if (index === undefined && star === undefined) {
      plain.set(base!, v);
      continue;
    }
    const entry = extended.get(base!) ?? { charset: 'utf-8', parts: [] };
    const n = index === undefined ? 0 : Number(index);
    if (star !== undefined && n === 0) {
      const q = /^([^']*)'[^']*'(.*)$/.exec(v);
      if (q) {
        if (q[1]) entry.charset = q[1];
        v = q[2]!;
      }
    }
    entry.parts.push({ n, text: v, encoded: star !== undefined });
    extended.set(base!, entry);
  }
  const params = new Map(plain);
  for (const [name, entry] of extended) {
    entry.parts.sort((a, b) => a.n - b.n);
    const bytes = Buffer.concat(entry.parts.map((p) => p.encoded
      ? Buffer.from(p.text.replace(/%([0-9A-Fa-f]{2})/g, (_s, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1')
      : Buffer.from(p.text, 'latin1')));
    params.set(name, decodeBytes(bytes, entry.charset)); // RFC 2231 wins over the plain form (RFC 2231 4.1)
  }
  return { value, params };
}

function splitOutsideQuotes(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && quoted && i + 1 < text.length) {
      cur += c + text[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}
