/**
 * The capture filter used when the user gives no --bpf: TCP on the mail
 * ports (IANA: 25, 587, 2525 and 465 for SMTP; 110 and 995 for POP3; 143 and
 * 993 for IMAP) plus every port named with --decode-as. Filtering in the
 * kernel keeps the rest of the interface's traffic out of the process.
 */
import { WELL_KNOWN_PORTS } from '../../session/identify.js';

export const MAIL_PORTS: readonly number[] = [...WELL_KNOWN_PORTS.keys()];

/** `tcp and (port 25 or port 587 ...)`, ports in ascending order, each once. */
export function defaultBpf(extraPorts: Iterable<number> = []): string {
  const ports = [...new Set([...MAIL_PORTS, ...extraPorts])].sort((a, b) => a - b);
  for (const p of ports) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new RangeError(`port ${p} is not 1-65535`);
  }
  return `tcp and (${ports.map((p) => `port ${p}`).join(' or ')})`;
}
