/**
 * Fields of the messages a session carried: size, hashes, Wireshark's imf
 * header fields, MIME parts and attachments.
 */
import { isAttachment, type MessageSummary } from '../session/model.js';
import { NONE, perMessage, str } from './field-registry.js';

perMessage('message.size', 'number', false, 'size of each message in bytes (after dot-unstuffing)', (m) => [m.size]);
perMessage('message.partial', 'boolean', false, 'a message was cut by a capture gap or a size bound', (m) => [m.partial]);
perMessage('message.via', 'string', false, 'how a message travelled: "smtp.data", "smtp.bdat", "pop3.retr", "pop3.top", "imap.fetch", "imap.append"', (m) => [m.via]);
perMessage('message.sha256', 'string', false, 'SHA-256 of a message, lower-case hex', (m) => [m.sha256]);
perMessage('imf.from', 'string', true, 'From header of a message, as written', (m) => str(m.from));
// Wireshark's imf.to and imf.cc are the whole header: the addresses joined again.
perMessage('imf.to', 'string', true, 'To header of a message, as written', (m) => str(m.to?.join(', ')));
perMessage('imf.subject', 'string', true, 'Subject header of a message, as written (not MIME-decoded)', (m) => str(m.subject));
perMessage('imf.date', 'string', true, 'Date header of a message, as written', (m) => str(m.date));
perMessage('imf.message_id', 'string', true, 'Message-ID header of a message, as written', (m) => str(m.messageId));
perMessage('imf.cc', 'string', true, 'Cc header of a message, as written', (m) => str(m.cc?.join(', ')));
perMessage('imf.subject.decoded', 'string', false, 'Subject header of a message with RFC 2047 encoded words decoded', (m) => str(m.subjectDecoded ?? m.subject));
perMessage('message.received', 'number', false, 'number of Received header fields of a message (its relay chain)', (m) => (m.received === undefined ? NONE : [m.received]));
const attachmentsOf = (m: MessageSummary) => (m.parts ?? []).filter(isAttachment);
perMessage('attachment.name', 'string', false, 'file name of an attachment, RFC 2231 / 2047 decoded, as sent', (m) => attachmentsOf(m).flatMap((p) => str(p.name)));
perMessage('attachment.type', 'string', false, 'content type of an attachment, lower case, e.g. "application/pdf"', (m) => attachmentsOf(m).map((p) => p.type));
perMessage('attachment.sha256', 'string', false, 'SHA-256 of an attachment\'s decoded bytes, lower-case hex', (m) => attachmentsOf(m).map((p) => p.sha256));
perMessage('attachment.size', 'number', false, 'decoded size of an attachment in bytes', (m) => attachmentsOf(m).map((p) => p.size));
perMessage('mime.type', 'string', false, 'content type of any MIME part of a message', (m) => (m.parts ?? []).map((p) => p.type));

