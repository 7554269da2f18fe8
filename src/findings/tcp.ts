/** TCP trouble: the first thing to rule out before blaming the mail servers. */
import type { Session } from '../session/model.js';
import { plural } from './context.js';
import type { Finding } from './model.js';

const GOODBYE = new Set(['QUIT', 'LOGOUT']);

/**
 * tcp-trouble: retransmissions, out-of-order segments, gaps (bytes missing:
 * lost on the network or by the capture), zero windows, and resets that
 * cut a conversation short. A reset after QUIT / LOGOUT was answered is a
 * rude close, not trouble; so is one that ends an encrypted session we
 * cannot read (TLS stacks often close that way, and nothing says it was
 * early). Medium for gaps, zero windows and resets, low for the rest.
 */
export function tcpTrouble(s: Session): Finding[] {
  const t = s.tcp;
  const last = s.exchanges[s.exchanges.length - 1];
  const saidGoodbye = s.exchanges.some((ex) => ex.command && GOODBYE.has(ex.command.verb) && ex.reply);
  const hidden = s.tls !== null && !s.tls.decrypted;
  const rudeClose = saidGoodbye || (hidden && t.resets <= 1 && s.closed === 'rst');
  const resets = rudeClose ? 0 : t.resets;
  const parts: string[] = [];
  if (t.retransmissions) parts.push(plural(t.retransmissions, 'retransmission'));
  if (t.out_of_order) parts.push(`${plural(t.out_of_order, 'segment')} out of order`);
  if (t.gaps) parts.push(`${plural(t.gaps, 'gap')} (${t.gap_bytes} bytes missing)`);
  if (t.zero_windows) parts.push(plural(t.zero_windows, 'zero window'));
  if (resets) parts.push(`${plural(resets, 'reset')}${last && !last.reply && last.command ? ` (${last.command.verb} got no reply)` : ''}`);
  if (parts.length === 0) return [];
  const exchanges = [...new Set(s.anomalies.filter((a) => a.kind.startsWith('tcp.') && a.exchange !== undefined).map((a) => a.exchange!))];
  return [{
    kind: 'tcp-trouble', severity: t.gaps || t.zero_windows || resets ? 'medium' : 'low', scope: 'session',
    count: t.retransmissions + t.out_of_order + t.gaps + t.zero_windows + resets,
    why: `TCP trouble, rule it out first: ${parts.join(', ')}`,
    evidence: [{ session: s.id, exchanges }],
  }];
}
