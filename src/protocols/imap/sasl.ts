/**
 * What a SASL client response reveals about the user, by mechanism. The
 * responses themselves are secrets (redacted by the machine); the user name
 * is not, and help-desk users search by it.
 */

/** Base64 text (RFC 4648) decoded as latin1, or null when it is not base64. "=" is the empty response (RFC 4959). */
export function decodeBase64(text: string): string | null {
  const t = text.trim();
  if (t === '=' || t === '') return '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(t) || t.length % 4 === 1) return null;
  return Buffer.from(t, 'base64').toString('latin1');
}

/** SASLprep-free decoding of `=2C` / `=3D` in SCRAM and GS2 names (RFC 5802 5.1, RFC 5801 4). */
function saslName(s: string): string {
  return s.replace(/=2C/gi, ',').replace(/=3D/gi, '=');
}

/**
 * The user name in the `step`-th client response (0 = the first, which is the
 * SASL-IR initial response when one was sent), or null when this response
 * does not carry it.
 */
export function saslUser(mechanism: string, step: number, response: string): string | null {
  const text = decodeBase64(response);
  if (text === null || text === '') return null;
  switch (mechanism.toUpperCase()) {
    case 'PLAIN': {
      // RFC 4616 2: [authzid] NUL authcid NUL passwd.
      if (step !== 0) return null;
      const fields = text.split('\0');
      return fields.length === 3 ? fields[1] : null;
    }
    case 'LOGIN':
      // draft-murchison-sasl-login: the first response is the user name.
      return step === 0 ? text : null;
    case 'CRAM-MD5': {
      // RFC 2195 2: "user SP digest".
      const sp = text.lastIndexOf(' ');
      return sp > 0 ? text.slice(0, sp) : null;
    }
    case 'XOAUTH2': {
      // Google's XOAUTH2: "user=" user ^A "auth=Bearer " token ^A ^A.
      const m = /^user=([^\x01]*)\x01/.exec(text);
      return m ? m[1] : null;
    }
    case 'OAUTHBEARER': {
      // RFC 7628 3.1: GS2 header "n,a=user," then key/value pairs.
      const m = /^[nyp][^,]*,a=([^,]*),/.exec(text);
      return m ? saslName(m[1]) : null;
    }
    case 'DIGEST-MD5': {
      const m = /(?:^|,)\s*username="((?:[^"\\]|\\.)*)"/.exec(text);
      return m ? m[1].replace(/\\(.)/g, '$1') : null;
    }
    default: {
      if (/^SCRAM-/i.test(mechanism)) {
        // RFC 5802 5.1: client-first-message "n,,n=user,r=nonce".
        const m = /^[nyp][^,]*,[^,]*,n=([^,]*),/.exec(text);
        return m ? saslName(m[1]) : null;
      }
      return null;
    }
  }
}
