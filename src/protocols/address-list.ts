/**
 * An address-list header (To, Cc: RFC 5322 3.4) split into its addresses,
 * each as written ("Bob" <bob@example.net>, or bob@example.net). Commas
 * inside a quoted display name, an angle-bracketed address or a comment do
 * not split; a group ("team: a@x, b@y;") gives its members. Anything odd is
 * kept as written rather than dropped: this feeds display and filters, not
 * delivery.
 */
export function splitAddressList(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  let comment = 0;
  const push = () => {
    const item = current.trim();
    if (item !== '') out.push(item);
    current = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      current += c;
      if (c === '\\' && i + 1 < text.length) current += text[++i];
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === '(') comment++;
    else if (c === ')' && comment > 0) comment--;
    else if (c === '<' && comment === 0) angle++;
    else if (c === '>' && angle > 0 && comment === 0) angle--;
    else if (angle === 0 && comment === 0) {
      if (c === ',') {
        push();
        continue;
      }
      // A group: its name and colon are not an address; the ";" ends it.
      if (c === ':' && !current.includes('@')) {
        current = '';
        continue;
      }
      if (c === ';') {
        push();
        continue;
      }
    }
    current += c;
  }
  push();
  return out;
}

/**
 * The address of one item of such a list: "Bob <bob@example.net>" gives
 * bob@example.net (the last angle brackets: a quoted display name may hold a
 * "<"); an item without brackets is all address.
 */
export function addressOf(item: string): string {
  const open = item.lastIndexOf('<');
  const close = item.indexOf('>', open + 1);
  return open >= 0 && close > open ? item.slice(open + 1, close).trim() : item.trim();
}
