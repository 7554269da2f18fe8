/**
 * SASL as the three mail protocols carry it (SMTP AUTH RFC 4954, POP3 AUTH
 * RFC 5034, IMAP AUTHENTICATE RFC 9051 6.2.2): decoding of client responses
 * and the user name where the mechanism reveals it. The responses themselves
 * are secrets and are redacted by the machines; user names are not (help-desk
 * people search by them).
 */

/** Base64 (RFC 4648) as text: UTF-8 when valid, else latin1; "" for the empty response ("=" in RFC 4959 / 5034); null when not base64. */
export function decodeBase64(text: string): string | null {
  const t = text.trim();
  if (t === '' || t === '=') return '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(t) || t.length % 4 === 1) return null;
  const bytes = Buffer.from(t, 'base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

/** A client response of "*" cancels the exchange (RFC 4954 4, RFC 5034 4, RFC 9051 6.2.2). */
export function isCancel(line: string): boolean {
  return line.trim() === '*';
}

/** RFC 5802 / RFC 5801 saslname escapes. */
function saslName(value: string): string {
  return value.replace(/=2C/gi, ',').replace(/=3D/gi, '=');
}

/**
 * The user name in the `step`-th client response (0 = the first: the initial
 * response when one was sent), or null when this response does not carry it.
 */
export function saslUser(mechanism: string, step: number, response: string): string | null {
  const text = decodeBase64(response);
  if (text === null || text === '') return null;
  const user = extractUser(mechanism.toUpperCase(), step, text);
  return user === null || user === '' ? null : user;
}

function extractUser(mechanism: string, step: number, text: string): string | null {
  switch (mechanism) {
    case 'PLAIN': {
      // RFC 4616 2: [authzid] NUL authcid NUL passwd.
      if (step !== 0) return null;
      const parts = text.split('\0');
      return parts.length >= 3 ? parts[1] : null;
    }
    case 'LOGIN':
      // draft-murchison-sasl-login: the first response is the user name, the second the password.
      return step === 0 ? text : null;
    case 'CRAM-MD5': {
      // RFC 2195 2: "user SP hex-digest".
      const space = text.lastIndexOf(' ');
      return space > 0 ? text.slice(0, space) : null;
    }
    case 'XOAUTH2':
      // Google's XOAUTH2: "user=" user ^A "auth=Bearer " token ^A ^A.
      return /^user=([^\x01]*)/.exec(text)?.[1] ?? null;
    case 'OAUTHBEARER': {
      // RFC 7628 3.1: GS2 header "n,a=user," (RFC 5801 4 escapes).
      const a = /^[nyp][^,]*,a=([^,]*),/.exec(text)?.[1];
      return a === undefined ? null : saslName(a);
    }
    case 'DIGEST-MD5':
      // RFC 2831 2.1.2: username="..." in the client's response.
      return /(?:^|,)\s*username="((?:[^"\\]|\\.)*)"/.exec(text)?.[1]?.replace(/\\(.)/g, '$1') ?? null;
    default:
      if (mechanism.startsWith('SCRAM-')) {
        // RFC 5802 5.1: client-first-message = gs2-header "n=" saslname ",r=" nonce.
        const n = /^[nyp][^,]*,[^,]*,n=([^,]*)/.exec(text)?.[1];
        return n === undefined ? null : saslName(n);
      }
      return null;
  }
}

/**
 * How many client responses a mechanism sends after the command when every
 * step succeeds. Used only when the server's side is missing from the capture
 * and the machine must guess which client lines are SASL, not commands.
 */
export function expectedResponses(mechanism: string, hasInitial: boolean): number {
  switch (mechanism.toUpperCase()) {
    case 'PLAIN': case 'XOAUTH2': case 'OAUTHBEARER': case 'EXTERNAL': case 'ANONYMOUS':
    case 'CRAM-MD5': case 'DIGEST-MD5':
      return hasInitial ? 0 : 1;
    case 'LOGIN':
      return hasInitial ? 1 : 2;
    default:
      return 0;
  }
}
