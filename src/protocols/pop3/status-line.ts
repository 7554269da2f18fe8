/**
 * The first line of a POP3 server reply: RFC 1939 section 3 status indicator
 * ("+OK" / "-ERR") and text, with the RFC 2449 section 8 extended response
 * code in brackets ("[IN-USE]", "[SYS/TEMP]") and the RFC 5034 section 4 SASL
 * continuation ("+ " and a base64 challenge).
 */

export interface StatusLine {
  indicator: '+OK' | '-ERR';
  /** The RFC 2449 response code without its brackets ("AUTH", "SYS/PERM"), when there is one. */
  code?: string;
  /** Everything after the indicator and its space (the code included, as tshark's pop.response.description). */
  text: string;
}

/**
 * RFC 2449 section 8: resp-code = "[" resp-level *("/" resp-level) "]",
 * resp-level = 1*rchar, rchar = %x21-2E / %x30-5C / %x5E-7F.
 */
const RESP_CODE = /^\[([\x21-\x2e\x30-\x5c\x5e-\x7f]+(?:\/[\x21-\x2e\x30-\x5c\x5e-\x7f]+)*)\]/;

/**
 * Parses a status line, or returns null when the line is not one. The
 * indicator is matched case-insensitively and as a prefix: RFC 1939 wants
 * upper case and a space after it, but real servers vary and a reply is more
 * useful kept than dropped.
 */
export function parseStatusLine(line: string): StatusLine | null {
  let indicator: '+OK' | '-ERR';
  let rest: string;
  const head = line.slice(0, 4).toUpperCase();
  if (head.startsWith('+OK')) {
    indicator = '+OK';
    rest = line.slice(3);
  } else if (head === '-ERR') {
    indicator = '-ERR';
    rest = line.slice(4);
  } else {
    return null;
  }
  const text = rest.startsWith(' ') ? rest.slice(1) : rest;
  const status: StatusLine = { indicator, text };
  const code = RESP_CODE.exec(text);
  if (code) status.code = code[1];
  return status;
}

/**
 * RFC 5034 section 4: continue-req = "+" SP [base64] CRLF. Some servers send
 * a bare "+" for an empty challenge; it is accepted too.
 */
export function parseContinuation(line: string): string | null {
  if (line === '+') return '';
  if (line.startsWith('+ ')) return line.slice(2);
  return null;
}

/**
 * RFC 1939 section 7: the APOP timestamp in the greeting, a msg-id
 * "<process-ID.clock@hostname>" (RFC 822 syntax).
 */
export function apopTimestamp(text: string): string | null {
  const m = /<[^<>\s]*@[^<>\s]*>/.exec(text);
  return m ? m[0] : null;
}

/** RFC 1939 section 7 (RETR): "+OK 120 octets": the message size a server announces, or null. */
export function announcedOctets(text: string): number | null {
  const m = /^(\d{1,15})(?:\s|$)/.exec(text);
  return m ? Number(m[1]) : null;
}
