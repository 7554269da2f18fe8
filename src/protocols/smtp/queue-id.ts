/**
 * The queue ID a server gives a message it accepted, from its reply to the
 * end of DATA (or BDAT LAST): what a mail administrator greps the server's
 * log for. Each MTA words it its own way:
 *
 *   Postfix   250 2.0.0 Ok: queued as 4Xb1Zp3kq2z9wJ
 *   Exim      250 OK id=1tAbCd-000AbC-Xy
 *   Sendmail  250 2.0.0 5B2AbCdE012345 Message accepted for delivery
 *   Exchange  250 2.6.0 <id@host> [InternalId=123456, Hostname=EX01] Queued mail for delivery
 *   Gmail     250 2.0.0 OK  1701000000 a1-20020a05600c000100b0040c1f0b1b1fsi123456wmo.1 - gsmtp
 */
const PATTERNS: RegExp[] = [
  /\bqueued as ([A-Za-z0-9]+)/i,
  /\bid=([A-Za-z0-9]{6}-[A-Za-z0-9]{6,11}-[A-Za-z0-9]{2,4})\b/,
  /^(?:\d\.\d\.\d\s+)?([A-Za-z0-9]{10,20}) Message accepted for delivery/i,
  /\[InternalId=(\d+)/,
  /\bOK\s+\d+\s+(\S+) - gsmtp/,
];

/** The queue ID in a 250 reply's text, or null when it names none. */
export function queueIdOf(text: string): string | null {
  for (const re of PATTERNS) {
    const m = re.exec(text);
    if (m) return m[1];
  }
  return null;
}
