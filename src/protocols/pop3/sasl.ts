/**
 * SASL inside POP3 AUTH (RFC 5034): the user name, where the mechanism
 * reveals it in a client response. The responses themselves are secrets and
 * are redacted by the caller; user names are not.
 */

/** Base64 as text (UTF-8 when it is valid UTF-8, else latin1); null when it is not base64. */
export function decodeBase64(text: string): string | null {
  const t = text.trim();
  if (t === '' || t === '=') return ''; // RFC 5034 section 4: "=" is an empty response
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(t)) return null;
  const bytes = Buffer.from(t, 'base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

/** RFC 5034 section 4: a client response of "*" cancels the exchange. */
export function isCancel(line: string): boolean {
  return line.trim() === '*';
}

/** The user name in a mechanism's first non-empty client response, or null. */
export function userFromFirstResponse(mechanism: string, decoded: string): string | null {
  const user = extract(mechanism, decoded);
  return user === null || user === '' ? null : user;
}

function extract(mechanism: string, text: string): string | null {
  switch (mechanism) {
    case 'PLAIN': {
      // RFC 4616 section 2: [authzid] NUL authcid NUL passwd.
      const parts = text.split('\0');
      return parts.length >= 3 ? parts[1] : null;
    }
    case 'LOGIN':
      // draft-murchison-sasl-login: the first response is the user name.
      return text;
    case 'CRAM-MD5': {
      // RFC 2195 section 2: user SP hex-digest.
      const sp = text.lastIndexOf(' ');
      return sp > 0 ? text.slice(0, sp) : null;
    }
    case 'XOAUTH2':
      // Google's XOAUTH2: "user=" user ^A "auth=Bearer " token ^A ^A.
      return /^user=([^\x01]*)/.exec(text)?.[1] ?? null;
    case 'OAUTHBEARER': {
      // RFC 7628 section 3.1: GS2 header "n,a=user," (RFC 5801 section 4 escapes).
      const a = /^[nyp][^,]*,a=([^,]*),/.exec(text)?.[1];
      return a === undefined ? null : saslName(a);
    }
    case 'DIGEST-MD5':
      // RFC 2831 section 2.1.2: username="..." in the client's first response.
      return /(?:^|,)\s*username="((?:[^"\\]|\\.)*)"/.exec(text)?.[1]?.replace(/\\(.)/g, '$1') ?? null;
    default:
      if (mechanism.startsWith('SCRAM-')) {
        // RFC 5802 section 5.1: client-first-message = gs2-header "n=" saslname ",r=" nonce.
        const n = /^[nyp][^,]*,[^,]*,n=([^,]*)/.exec(text)?.[1];
        return n === undefined ? null : saslName(n);
      }
      return null;
  }
}

/** RFC 5802 / 5801 saslname escapes. */
function saslName(value: string): string {
  return value.replace(/=2C/gi, ',').replace(/=3D/gi, '=');
}

/** Follows one AUTH exchange's client responses and finds the user name in the first that carries one. */
export class SaslSession {
  private decided = false;

  constructor(readonly mechanism: string) {}

  /** A client response as sent (base64); returns the user name when this response reveals it. */
  response(line: string): string | null {
    if (this.decided) return null;
    const text = decodeBase64(line);
    if (text === null) {
      this.decided = true;
      return null;
    }
    if (text === '') return null; // an empty response says nothing; wait for the next
    this.decided = true;
    return userFromFirstResponse(this.mechanism, text);
  }
}
