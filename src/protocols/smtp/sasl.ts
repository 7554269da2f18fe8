/**
 * SASL in SMTP AUTH (RFC 4954): which client lines a mechanism sends, and
 * the user name where the mechanism reveals it. Client responses are
 * secrets and are redacted by the caller; user names are not.
 */

/** Decodes base64 as latin1 text; null when it is not base64 at all. */
export function decodeBase64(text: string): string | null {
  const t = text.trim();
  if (t === '' || t === '=') return '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(t)) return null;
  return Buffer.from(t, 'base64').toString('latin1');
}

/** RFC 4954 4: a client line "*" cancels the exchange. */
export function isCancel(line: string): boolean {
  return line.trim() === '*';
}

/**
 * The user name in one client response of a mechanism, or null.
 * `step` is 0 for the initial response (or the first response after 334).
 */
export function userFromResponse(mechanism: string, step: number, response: string): string | null {
  const text = decodeBase64(response);
  if (text === null) return null;
  switch (mechanism) {
    case 'PLAIN': {
      // RFC 4616 2: [authzid] NUL authcid NUL passwd.
      const parts = text.split('\0');
      return parts.length >= 3 && parts[1] !== '' ? parts[1] : null;
    }
    case 'LOGIN':
      // draft-murchison-sasl-login: the first response is the user name, the second the password.
      return step === 0 && text !== '' ? text : null;
    case 'CRAM-MD5': {
      // RFC 2195 2: "user SP hex-digest".
      const space = text.lastIndexOf(' ');
      return space > 0 ? text.slice(0, space) : null;
    }
    case 'XOAUTH2': {
      // Google's XOAUTH2: "user=" user ^A "auth=Bearer " token ^A ^A.
      const m = /^user=([^\x01]*)/.exec(text);
      return m !== null && m[1] !== '' ? m[1] : null;
    }
    case 'OAUTHBEARER': {
      // RFC 7628 3.1: GS2 header "n,a=user," with "=2C" / "=3D" escapes (RFC 5801 4).
      const m = /^[nyp][^,]*,a=([^,]*),/.exec(text);
      return m !== null && m[1] !== '' ? m[1].replace(/=2C/gi, ',').replace(/=3D/gi, '=') : null;
    }
    default:
      return null;
  }
}

/**
 * How many client responses the mechanism sends after the AUTH line when
 * every step succeeds; used only when the server's side is not in the
 * capture and we must guess which client lines are SASL and not commands.
 */
export function expectedResponses(mechanism: string, hasInitial: boolean): number {
  switch (mechanism) {
    case 'PLAIN': case 'XOAUTH2': case 'OAUTHBEARER': case 'EXTERNAL': case 'ANONYMOUS':
      return hasInitial ? 0 : 1;
    case 'LOGIN':
      return hasInitial ? 1 : 2;
    case 'CRAM-MD5': case 'DIGEST-MD5':
      return hasInitial ? 0 : 1;
    default:
      return 0;
  }
}
