/** IMAP (RFC 9051 / 3501): the protocol machine and the pieces tests use. */
export { ImapMachine } from './machine.js';
