/** POP3 (RFC 1939 and extensions): bytes of one connection to exchanges. */
export { Pop3Machine, MAX_LINE, MAX_LISTING_LINES, MAX_HELD } from './machine.js';
