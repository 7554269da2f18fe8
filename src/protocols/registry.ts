/** The protocol machines mailscope runs, by protocol name. */
import type { MachineFactory } from '../session/builder.js';
import type { Protocol } from '../session/model.js';
import { ImapMachine } from './imap/index.js';
import { Pop3Machine } from './pop3/index.js';
import { SmtpMachine } from './smtp/index.js';

export const defaultMachines: Record<Protocol, MachineFactory> = {
  smtp: (recorder) => new SmtpMachine(recorder),
  pop3: (recorder) => new Pop3Machine(recorder),
  imap: (recorder) => new ImapMachine(recorder),
};
