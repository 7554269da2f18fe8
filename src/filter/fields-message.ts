/**
 * Fields of the messages a session carried: size, hashes, Wireshark's imf
 * header fields, MIME parts and attachments.
 */
import { addressOf, splitAddressList } from '../protocols/address-list.js';
import { isAttachment, type MessageSummary } from '../session/model.js';
import { NONE, perMessage, str } from './field-registry.js';
import type { Value } from './values.js';

perMessage('message.size', 'number', false, 'size of each message in bytes (after dot-unstuffing)', (m) => [m.size]);
perMessage('message.partial', 'boolean', false, 'a message was cut by a capture gap or a size bound', (m) => [m.partial]);
perMessage('message.via', 'string', false, 'how a message travelled: "smtp.data", "smtp.bdat", "pop3.retr", "pop3.top", "imap.fetch", "imap.append"', (m) => [m.via]);
perMessage('message.sha256', 'string', false, 'SHA-256 of a message, lower-case hex', (m) => [m.sha256]);
/**
 * Wireshark's imf fields by header name (packet-imf.c's table): a name
 * written with "-" gets "_" in the field, except where Wireshark's name is
 * its own. The values are every occurrence of the header in each message,
 * unfolded; a header not in the table is an imf.extension.
 */
const IMF_HEADERS: Record<string, string> = {
  date: 'date', from: 'from', sender: 'sender', 'reply-to': 'reply_to', to: 'to', cc: 'cc', bcc: 'bcc',
  'message-id': 'message_id', 'in-reply-to': 'in_reply_to', references: 'references', subject: 'subject',
  comments: 'comments', 'user-agent': 'user_agent', keywords: 'keywords',
  'resent-date': 'resent.date', 'resent-from': 'resent.from', 'resent-sender': 'resent.sender', 'resent-to': 'resent.to',
  'resent-cc': 'resent.cc', 'resent-bcc': 'resent.bcc', 'resent-message-id': 'resent.message_id',
  'return-path': 'return_path', received: 'received',
  'content-type': 'content.type', 'content-id': 'content.id', 'content-description': 'content.description',
  'content-transfer-encoding': 'content.transfer_encoding', 'mime-version': 'mime_version',
  autoforwarded: 'autoforwarded', autosubmitted: 'autosubmitted', 'x400-content-identifier': 'x400_content_identifier',
  'content-language': 'content_language', conversion: 'conversion', 'conversion-with-loss': 'conversion_with_loss',
  'delivery-date': 'delivery_date', 'discarded-x400-ipms-extensions': 'discarded_x400_ipms_extensions',
  'discarded-x400-mts-extensions': 'discarded_x400_mts_extensions', 'dl-expansion-history': 'dl_expansion_history',
  'deferred-delivery': 'deferred_delivery', expires: 'expires', importance: 'importance', 'incomplete-copy': 'incomplete_copy',
  'latest-delivery-time': 'latest_delivery_time', 'message-type': 'message_type',
  'original-encoded-information-types': 'original_encoded_information_types',
  'originator-return-address': 'originator_return_address', priority: 'priority', 'reply-by': 'reply_by',
  sensitivity: 'sensitivity', supersedes: 'supersedes', 'x400-content-type': 'x400_content_type',
  'x400-mts-identifier': 'x400_mts_identifier', 'x400-originator': 'x400_originator', 'x400-received': 'x400_received',
  'x400-recipients': 'x400_recipients', 'delivered-to': 'delivered_to',
  'x-mailer': 'ext.mailer', 'thread-index': 'thread-index', 'x-mimeole': 'ext.mimeole', 'expiry-date': 'ext.expiry-date',
  'x-ms-tnef-correlator': 'ext.tnef-correlator', 'x-uidl': 'ext.uidl', 'x-authentication-warning': 'ext.authentication_warning',
  'x-virus-scanned': 'ext.virus_scanned', 'x-original-to': 'ext.original-to', lines: 'lines', precedence: 'precedence',
};

/** Headers holding mailbox lists and address lists (RFC 5322 3.6.2-3.6.3, 3.6.6), for imf.address and imf.display_name. */
const MAILBOX_LISTS = new Set(['from', 'resent-from']);
const ADDRESS_LISTS = new Set(['reply-to', 'to', 'cc', 'bcc', 'resent-to', 'resent-cc', 'resent-bcc']);
const MAILBOXES = new Set(['sender', 'resent-sender', 'delivered-to']);

const UNFOLDED = 'values are unfolded (tshark keeps the CRLF and tab of a folded header, and the CRLF at its end)';

/** Every value of the named header (lower case) in a message, as written; the summary's fields when the header list is absent. */
function headerValues(m: MessageSummary, name: string): Value[] {
  if (m.headers) {
    const out: Value[] = [];
    for (const [n, v] of m.headers) if (n.toLowerCase() === name) out.push(v);
    return out;
  }
  switch (name) {
    case 'from': return str(m.from);
    case 'to': return str(m.to?.join(', '));
    case 'cc': return str(m.cc?.join(', '));
    case 'subject': return str(m.subject);
    case 'date': return str(m.date);
    case 'message-id': return str(m.messageId);
    default: return NONE;
  }
}

for (const [header, field] of Object.entries(IMF_HEADERS)) {
  const label = header.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
  perMessage(`imf.${field}`, 'string', true, `${label} header of a message, as written (every occurrence)`, (m) => headerValues(m, header), { differs: UNFOLDED });
}

const isKnown = (name: string) => Object.prototype.hasOwnProperty.call(IMF_HEADERS, name.toLowerCase());
const extensions = (m: MessageSummary) => (m.headers ?? []).filter(([n]) => !isKnown(n));
perMessage('imf.extension', 'string', true, 'each header not among Wireshark\'s named ones, as "Name: value"', (m) => extensions(m).map(([n, v]) => `${n}: ${v}`), { differs: UNFOLDED });
perMessage('imf.extension.type', 'string', true, 'name of each header not among Wireshark\'s named ones ("X-Spam-Flag")', (m) => extensions(m).map(([n]) => n));
perMessage('imf.extension.value', 'string', true, 'value of each header not among Wireshark\'s named ones', (m) => extensions(m).map(([, v]) => v), { differs: UNFOLDED });
perMessage('imf.content.type.type', 'string', true, 'the media type of the Content-Type header ("multipart/mixed")',
  (m) => headerValues(m, 'content-type').map((v) => (v as string).split(';')[0].trim()));
perMessage('imf.content.type.parameters', 'string', true, 'the parameters of the Content-Type header, after the first ";"',
  (m) => headerValues(m, 'content-type').flatMap((v) => {
    const at = (v as string).indexOf(';');
    return at < 0 ? [] : [(v as string).slice(at + 1)];
  }));

/** The items of the address headers of a message: [header name, item as written]. */
function addressItems(m: MessageSummary, names: ReadonlySet<string>): string[] {
  return (m.headers ?? []).filter(([n]) => names.has(n.toLowerCase())).flatMap(([n, v]) => (MAILBOXES.has(n.toLowerCase()) ? [v] : splitAddressList(v)));
}
const ALL_ADDRESS_HEADERS = new Set([...MAILBOX_LISTS, ...ADDRESS_LISTS, ...MAILBOXES]);
function displayNameOf(item: string): string | null {
  const open = item.indexOf('<');
  const name = open > 0 ? item.slice(0, open).trim() : '';
  return name === '' ? null : name;
}
const ITEMS = 'lists are split at commas outside quotes and angle brackets (tshark splits at every comma)';
perMessage('imf.address', 'string', true, 'each address in From, Sender, Reply-To, To, Cc, Bcc, Resent-* and Delivered-To, without the brackets',
  (m) => addressItems(m, ALL_ADDRESS_HEADERS).map(addressOf), { differs: ITEMS });
perMessage('imf.display_name', 'string', true, 'the display name of each address that has one ("Bob" of "Bob <bob@example.net>")',
  (m) => addressItems(m, ALL_ADDRESS_HEADERS).flatMap((i) => str(displayNameOf(i))), { differs: ITEMS });
perMessage('imf.mailbox_list.item', 'string', true, 'each item of From and Resent-From, as written', (m) => addressItems(m, MAILBOX_LISTS), { differs: ITEMS });
perMessage('imf.address_list.item', 'string', true, 'each item of Reply-To, To, Cc, Bcc and Resent-To / -Cc / -Bcc, as written', (m) => addressItems(m, ADDRESS_LISTS), { differs: ITEMS });
perMessage('imf.message_text', 'boolean', true, 'the message has a body after its header', (m) => (m.parts && m.parts.some((p) => p.size > 0) ? [true] : NONE));
perMessage('message.headers_cut', 'boolean', false, 'the header was longer than 64 KiB (past it From, To, Cc, Subject, Date and Message-ID were kept, and other fields up to 16 KiB)', (m) => [m.headersCut === true]);
perMessage('imf.subject.decoded', 'string', false, 'Subject header of a message with RFC 2047 encoded words decoded', (m) => str(m.subjectDecoded ?? m.subject));
perMessage('message.received', 'number', false, 'number of Received header fields of a message (its relay chain)', (m) => (m.received === undefined ? NONE : [m.received]));
const attachmentsOf = (m: MessageSummary) => (m.parts ?? []).filter(isAttachment);
perMessage('attachment.name', 'string', false, 'file name of an attachment, RFC 2231 / 2047 decoded, as sent', (m) => attachmentsOf(m).flatMap((p) => str(p.name)));
perMessage('attachment.type', 'string', false, 'content type of an attachment, lower case, e.g. "application/pdf"', (m) => attachmentsOf(m).map((p) => p.type));
perMessage('attachment.sha256', 'string', false, 'SHA-256 of an attachment\'s decoded bytes, lower-case hex', (m) => attachmentsOf(m).map((p) => p.sha256));
perMessage('attachment.md5', 'string', false, 'MD5 of an attachment\'s decoded bytes, lower-case hex (what antivirus and sandbox services are searched by)', (m) => attachmentsOf(m).flatMap((p) => str(p.md5)));
perMessage('attachment.size', 'number', false, 'decoded size of an attachment in bytes', (m) => attachmentsOf(m).map((p) => p.size));
perMessage('mime.type', 'string', false, 'content type of any MIME part of a message', (m) => (m.parts ?? []).map((p) => p.type));

