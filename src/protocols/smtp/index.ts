/** The SMTP protocol machine (RFC 5321 and extensions); see machine.ts. */
export { SmtpMachine } from './machine.js';
