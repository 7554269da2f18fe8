import { describe, expect, it } from 'vitest';
import { chop, type Step } from '../helpers/machine-harness.js';
import { GREETING, MESSAGE, anomalies, imap, runImap, view, views } from './imap-helpers.js';

describe('imap greeting', () => {
  it('greeting-ok-with-capability-code', () => {
    const s = imap([['S', GREETING]]);
    expect(s.exchanges).toEqual([{
      command: null,
      reply: {
        ts: '2024-05-01T10:00:00.001000Z', frame: 1, lines: [GREETING.trimEnd()],
        text: 'ready', tag: '*', status: 'OK', code: 'CAPABILITY',
      },
    }]);
    expect(s.anomalies).toEqual([]);
  });

  it('preauth-greeting', () => {
    const s = imap([['S', '* PREAUTH IMAP4rev2 server logged in as Smith\r\n'], ['C', 'a1 SELECT INBOX\r\n'], ['S', 'a1 OK [READ-WRITE] done\r\n']]);
    expect(views(s)).toEqual([
      { command: null, reply: { tag: '*', status: 'PREAUTH', code: undefined, text: 'IMAP4rev2 server logged in as Smith' } },
      { command: 'a1 SELECT INBOX', reply: { tag: 'a1', status: 'OK', code: 'READ-WRITE', text: 'done' } },
    ]);
    expect(s.auth).toEqual([]);
  });

  it('bye-greeting', () => {
    const s = imap([['S', '* BYE [UNAVAILABLE] too many connections\r\n']]);
    expect(views(s)).toEqual([{ command: null, reply: { tag: '*', status: 'BYE', code: 'UNAVAILABLE', text: 'too many connections' } }]);
  });
});

describe('imap commands and tagged responses', () => {
  it('command-tag-verb-args', () => {
    const s = imap([['S', GREETING], ['C', 'A001 select "Sent Items"\r\n'], ['S', 'A001 OK done\r\n']]);
    // The verb in upper case, and as the client wrote it (transcripts and text searches show that).
    expect(s.exchanges[1].command).toEqual({ ts: '2024-05-01T10:00:00.002000Z', frame: 2, tag: 'A001', verb: 'SELECT', args: '"Sent Items"', sent: 'select' });
    expect(s.exchanges[1].reply).toEqual({ ts: '2024-05-01T10:00:00.003000Z', frame: 3, lines: ['A001 OK done'], text: 'done', tag: 'A001', status: 'OK' });
  });

  it('uid-commands-are-two-word-verbs', () => {
    const s = imap([['S', GREETING], ['C', 'a1 uid fetch 1:* (FLAGS)\r\na2 UID STORE 4 +FLAGS (\\Seen)\r\n'], ['S', 'a1 OK\r\na2 OK\r\n']]);
    expect(views(s).slice(1)).toEqual([
      { command: 'a1 UID FETCH 1:* (FLAGS)', reply: { tag: 'a1', status: 'OK', code: undefined, text: '' } },
      { command: 'a2 UID STORE 4 +FLAGS (\\Seen)', reply: { tag: 'a2', status: 'OK', code: undefined, text: '' } },
    ]);
  });

  it('several-commands-in-flight-answered-out-of-order', () => {
    const s = imap([
      ['S', GREETING],
      ['C', 'a1 FETCH 1 (FLAGS)\r\na2 NOOP\r\na3 STATUS INBOX (MESSAGES)\r\n'],
      ['S', '* 1 FETCH (FLAGS (\\Seen))\r\na3 OK status done\r\n'],
      ['S', 'a2 NO noop refused\r\n'],
      ['S', 'a1 OK fetch done\r\n'],
    ]);
    expect(views(s).slice(1)).toEqual([
      { command: 'a1 FETCH 1 (FLAGS)', reply: { tag: 'a1', status: 'OK', code: undefined, text: 'fetch done' }, untagged: ['* 1 FETCH (FLAGS (\\Seen))'] },
      { command: 'a2 NOOP', reply: { tag: 'a2', status: 'NO', code: undefined, text: 'noop refused' } },
      { command: 'a3 STATUS INBOX (MESSAGES)', reply: { tag: 'a3', status: 'OK', code: undefined, text: 'status done' } },
    ]);
    expect(s.anomalies).toEqual([]);
  });

  it('untagged-goes-to-the-oldest-command-in-flight', () => {
    const s = imap([['S', GREETING], ['C', 'a1 NOOP\r\n'], ['C', 'a2 CHECK\r\n'], ['S', '* 4 EXISTS\r\na1 OK\r\n* 5 EXISTS\r\na2 OK\r\n']]);
    expect(s.exchanges[1].untagged).toEqual(['* 4 EXISTS']);
    expect(s.exchanges[2].untagged).toEqual(['* 5 EXISTS']);
  });

  it('no-authenticationfailed-response-code', () => {
    const s = imap([['S', GREETING], ['C', 'a1 LOGIN alice wrong\r\n'], ['S', 'a1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n']]);
    expect(s.exchanges[1].reply).toMatchObject({ tag: 'a1', status: 'NO', code: 'AUTHENTICATIONFAILED', text: 'Authentication failed.' });
    expect(s.auth).toEqual([{ mechanism: 'LOGIN', user: 'alice', result: 'failure', exchange: 1 }]);
  });

  it('tagged-response-nobody-asked-for', () => {
    const s = imap([['S', GREETING], ['S', 'z9 OK what?\r\n']]);
    expect(views(s)[1]).toEqual({ command: null, reply: { tag: 'z9', status: 'OK', code: undefined, text: 'what?' } });
    expect(anomalies(s)).toEqual([['reply.unexpected', 'tagged response for z9, which no command in flight has']]);
  });

  it('unknown-command', () => {
    const s = imap([['S', GREETING], ['C', 'a1 FROB x\r\n'], ['S', 'a1 BAD unknown command\r\n']]);
    expect(views(s)[1]).toEqual({ command: 'a1 FROB x', reply: { tag: 'a1', status: 'BAD', code: undefined, text: 'unknown command' } });
    expect(anomalies(s)).toEqual([['command.unknown', 'unknown command FROB']]);
  });

  it('reply-missing-at-end', () => {
    const s = imap([['S', GREETING], ['C', 'a1 NOOP\r\na2 NOOP\r\n'], ['S', 'a1 OK\r\n']]);
    expect(s.exchanges[2].reply).toBeNull();
    expect(anomalies(s)).toEqual([['reply.missing', 'no tagged response to a2 NOOP before the connection ended']]);
  });

  it('one-sided-capture-reports-missing-replies-once', () => {
    const s = imap([['C', 'a1 CAPABILITY\r\na2 LOGIN bob secret\r\na3 SELECT INBOX\r\n']]);
    expect(s.exchanges.map((e) => e.command?.verb)).toEqual(['CAPABILITY', 'LOGIN', 'SELECT']);
    expect(anomalies(s)).toEqual([['reply.missing', 'no server data in the capture: 3 command(s) without replies']]);
    expect(s.auth).toEqual([{ mechanism: 'LOGIN', user: 'bob', result: 'unknown', exchange: 1 }]);
  });

  it('logout-with-bye', () => {
    const s = imap([['S', GREETING], ['C', 'a9 LOGOUT\r\n'], ['S', '* BYE Logging out\r\na9 OK Logout completed.\r\n']]);
    expect(views(s)[1]).toEqual({
      command: 'a9 LOGOUT', reply: { tag: 'a9', status: 'OK', code: undefined, text: 'Logout completed.' }, untagged: ['* BYE Logging out'],
    });
    expect(s.anomalies).toEqual([]);
  });

  it('bye-without-tagged-logout-reply-is-not-a-missing-reply', () => {
    const s = imap([['S', GREETING], ['C', 'a9 LOGOUT\r\n'], ['S', '* BYE Logging out\r\n']]);
    expect(s.exchanges[1].untagged).toEqual(['* BYE Logging out']);
    expect(s.anomalies).toEqual([]);
  });

  it('unsolicited-untagged-with-nothing-in-flight', () => {
    const s = imap([['S', GREETING], ['S', '* 3 EXISTS\r\n* 1 RECENT\r\n'], ['C', 'a1 NOOP\r\n'], ['S', 'a1 OK\r\n'], ['S', '* BYE Autologout; idle for too long\r\n']]);
    expect(views(s).slice(1)).toEqual([
      { command: null, reply: null, untagged: ['* 3 EXISTS', '* 1 RECENT'] },
      { command: 'a1 NOOP', reply: { tag: 'a1', status: 'OK', code: undefined, text: '' } },
      { command: null, reply: { tag: '*', status: 'BYE', code: undefined, text: 'Autologout; idle for too long' } },
    ]);
    expect(s.anomalies).toEqual([]);
  });

  it('untagged-responses-per-exchange-are-bounded', () => {
    const lines = Array.from({ length: 1500 }, (_, i) => `* ${i + 1} EXPUNGE\r\n`).join('');
    const s = imap([['S', GREETING], ['C', 'a1 EXPUNGE\r\n'], ['S', lines + 'a1 OK\r\n']]);
    const u = s.exchanges[1].untagged!;
    expect(u.length).toBe(1000);
    expect(u[998]).toBe('* 999 EXPUNGE');
    expect(u[999]).toBe('… 501 more untagged responses not kept');
  });
});

describe('imap LOGIN', () => {
  it('login-with-quoted-strings', () => {
    const steps: Step[] = [['S', GREETING], ['C', 'a1 LOGIN "alice smith" "won\\"derland"\r\n'], ['S', 'a1 OK Logged in\r\n']];
    const s = imap(steps);
    expect(views(s)[1]).toEqual({ command: 'a1 LOGIN "alice smith" <redacted>', reply: { tag: 'a1', status: 'OK', code: undefined, text: 'Logged in' } });
    expect(s.auth).toEqual([{ mechanism: 'LOGIN', user: 'alice smith', result: 'success', exchange: 1 }]);
    const shown = imap(steps, { showSecrets: true });
    expect(shown.exchanges[1].command!.args).toBe('"alice smith" "won\\"derland"');
  });

  it('login-with-synchronising-literal-arguments', () => {
    const s = imap([
      ['S', GREETING],
      ['C', 'a1 LOGIN {5}\r\n'],
      ['S', '+ Ready for literal data\r\n'],
      ['C', 'alice {10}\r\n'],
      ['S', '+ Ready for literal data\r\n'],
      ['C', 'wonderland\r\n'],
      ['S', 'a1 OK Logged in\r\n'],
    ]);
    expect(views(s)[1]).toEqual({
      command: 'a1 LOGIN "alice" <redacted>',
      reply: { tag: 'a1', status: 'OK', code: undefined, text: 'Logged in' },
      interim: [{ reply: '+ Ready for literal data', response: undefined }, { reply: '+ Ready for literal data', response: undefined }],
    });
    expect(s.auth).toEqual([{ mechanism: 'LOGIN', user: 'alice', result: 'success', exchange: 1 }]);
    expect(s.anomalies).toEqual([]);
  });

  it('login-with-literal-plus-arguments', () => {
    const s = imap([['S', GREETING], ['C', 'a1 LOGIN {5+}\r\nalice {10+}\r\nwonderland\r\n'], ['S', 'a1 OK Logged in\r\n']], { showSecrets: true });
    expect(s.exchanges[1].command!.args).toBe('"alice" "wonderland"');
    expect(s.exchanges[1].interim).toBeUndefined();
    expect(s.auth[0]).toMatchObject({ user: 'alice', result: 'success' });
  });

  it('synchronising-literal-refused-by-tagged-no', () => {
    // The client holds back; its next line (sent before the refusal arrived in this capture) is a new command.
    const s = imap([['S', GREETING], ['C', 'a1 LOGIN {500}\r\n'], ['C', 'a2 NOOP\r\n'], ['S', 'a1 NO literal too big\r\n'], ['S', 'a2 OK\r\n']]);
    expect(views(s).slice(1)).toEqual([
      { command: 'a1 LOGIN', reply: { tag: 'a1', status: 'NO', code: undefined, text: 'literal too big' } },
      { command: 'a2 NOOP', reply: { tag: 'a2', status: 'OK', code: undefined, text: '' } },
    ]);
    expect(s.auth).toEqual([]);
  });
});

describe('imap AUTHENTICATE', () => {
  const plain = Buffer.from('\0alice\0wonderland').toString('base64');

  it('authenticate-plain-with-continuation', () => {
    const s = imap([['S', GREETING], ['C', 'a1 AUTHENTICATE PLAIN\r\n'], ['S', '+ \r\n'], ['C', `${plain}\r\n`], ['S', 'a1 OK [CAPABILITY IMAP4rev1] Logged in\r\n']]);
    expect(views(s)[1]).toEqual({
      command: 'a1 AUTHENTICATE PLAIN',
      reply: { tag: 'a1', status: 'OK', code: 'CAPABILITY', text: 'Logged in' },
      interim: [{ reply: '+ ', response: '<redacted>' }],
    });
    expect(s.auth).toEqual([{ mechanism: 'PLAIN', user: 'alice', result: 'success', exchange: 1 }]);
  });

  it('authenticate-plain-with-sasl-ir', () => {
    const s = imap([['S', GREETING], ['C', `a1 AUTHENTICATE PLAIN ${plain}\r\n`], ['S', 'a1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n']]);
    expect(views(s)[1]).toEqual({
      command: 'a1 AUTHENTICATE PLAIN <redacted>',
      reply: { tag: 'a1', status: 'NO', code: 'AUTHENTICATIONFAILED', text: 'Authentication failed.' },
    });
    expect(s.auth).toEqual([{ mechanism: 'PLAIN', user: 'alice', result: 'failure', exchange: 1 }]);
    const shown = imap([['S', GREETING], ['C', `a1 AUTHENTICATE PLAIN ${plain}\r\n`]], { showSecrets: true });
    expect(shown.exchanges[1].command!.args).toBe(`PLAIN ${plain}`);
  });

  it('authenticate-login-two-challenges', () => {
    const s = imap([
      ['S', GREETING], ['C', 'a1 authenticate login\r\n'],
      ['S', '+ VXNlcm5hbWU6\r\n'], ['C', `${Buffer.from('bob').toString('base64')}\r\n`],
      ['S', '+ UGFzc3dvcmQ6\r\n'], ['C', `${Buffer.from('builder').toString('base64')}\r\n`],
      ['S', 'a1 OK done\r\n'],
    ]);
    expect(view(s.exchanges[1])).toMatchObject({
      command: 'a1 AUTHENTICATE login',
      interim: [{ reply: '+ VXNlcm5hbWU6', response: '<redacted>' }, { reply: '+ UGFzc3dvcmQ6', response: '<redacted>' }],
    });
    expect(s.auth).toEqual([{ mechanism: 'LOGIN', user: 'bob', result: 'success', exchange: 1 }]);
  });

  it('authenticate-cancelled-with-star', () => {
    const s = imap([['S', GREETING], ['C', 'a1 AUTHENTICATE PLAIN\r\n'], ['S', '+ \r\n'], ['C', '*\r\n'], ['S', 'a1 BAD Authentication cancelled\r\n'], ['C', 'a2 LOGOUT\r\n']]);
    expect(views(s)[1]).toEqual({
      command: 'a1 AUTHENTICATE PLAIN',
      reply: { tag: 'a1', status: 'BAD', code: undefined, text: 'Authentication cancelled' },
      interim: [{ reply: '+ ', response: '*' }],
    });
    expect(s.auth).toEqual([{ mechanism: 'PLAIN', user: null, result: 'aborted', exchange: 1 }]);
    expect(s.exchanges[2].command!.verb).toBe('LOGOUT');
  });

  it('authenticate-holds-the-next-line-until-the-server-answers', () => {
    // After a SASL-IR the server may answer OK at once: the next client line is then a command, not a SASL response.
    const s = imap([['S', GREETING], ['C', `a1 AUTHENTICATE PLAIN ${plain}\r\na2 SELECT INBOX\r\n`], ['S', 'a1 OK Logged in\r\na2 OK selected\r\n']]);
    expect(views(s).slice(1).map((v) => (v as { command: string }).command)).toEqual(['a1 AUTHENTICATE PLAIN <redacted>', 'a2 SELECT INBOX']);
    expect(s.exchanges[2].reply!.status).toBe('OK');
  });

  it('authenticate-one-sided-capture-reads-responses-without-waiting', () => {
    const s = imap([['C', `a1 AUTHENTICATE PLAIN\r\n${plain}\r\na2 SELECT INBOX\r\n`]]);
    expect(s.exchanges.map((e) => e.command?.verb)).toEqual(['AUTHENTICATE', 'SELECT']);
    expect(s.auth).toEqual([{ mechanism: 'PLAIN', user: 'alice', result: 'unknown', exchange: 0 }]);
  });
});

describe('imap APPEND', () => {
  const size = Buffer.byteLength(MESSAGE, 'latin1');

  it('append-with-synchronising-literal-waits-for-continuation', () => {
    const s = imap([
      ['S', GREETING],
      ['C', `a1 APPEND INBOX (\\Seen) {${size}}\r\n`],
      ['S', '+ Ready for literal data\r\n'],
      ['C', MESSAGE.slice(0, 40)],
      ['C', MESSAGE.slice(40) + '\r\n'],
      ['S', 'a1 OK [APPENDUID 38505 3955] APPEND completed\r\n'],
    ]);
    expect(views(s)[1]).toEqual({
      command: `a1 APPEND INBOX (\\Seen) {${size} bytes}`,
      reply: { tag: 'a1', status: 'OK', code: 'APPENDUID', text: 'APPEND completed' },
      interim: [{ reply: '+ Ready for literal data', response: undefined }],
      bodies: [0],
    });
    expect(s.messages).toEqual([expect.objectContaining({
      exchange: 1, via: 'imap.append', size, partial: false, from: 'Alice <alice@example.test>', subject: 'hello', messageId: '<1@example.test>',
    })]);
    expect(s.anomalies).toEqual([]);
  });

  it('append-with-literal-plus-does-not-wait', () => {
    const s = imap([['S', GREETING], ['C', `a1 APPEND Drafts {${size}+}\r\n${MESSAGE}\r\na2 NOOP\r\n`], ['S', 'a1 OK done\r\na2 OK\r\n']]);
    expect(views(s).slice(1)).toEqual([
      { command: `a1 APPEND Drafts {${size} bytes}`, reply: { tag: 'a1', status: 'OK', code: undefined, text: 'done' }, bodies: [0] },
      { command: 'a2 NOOP', reply: { tag: 'a2', status: 'OK', code: undefined, text: '' } },
    ]);
    expect(s.messages[0]).toMatchObject({ via: 'imap.append', size, partial: false, subject: 'hello' });
  });

  it('append-refused-with-trycreate', () => {
    const s = imap([['S', GREETING], ['C', `a1 APPEND Nope {${size}}\r\n`], ['S', 'a1 NO [TRYCREATE] no such mailbox\r\n'], ['C', 'a2 CREATE Nope\r\n'], ['S', 'a2 OK\r\n']]);
    expect(views(s).slice(1)).toEqual([
      { command: 'a1 APPEND Nope', reply: { tag: 'a1', status: 'NO', code: 'TRYCREATE', text: 'no such mailbox' } },
      { command: 'a2 CREATE Nope', reply: { tag: 'a2', status: 'OK', code: undefined, text: '' } },
    ]);
    expect(s.messages).toEqual([]);
  });

  it('append-mailbox-name-as-literal-is-not-a-message', () => {
    const s = imap([['S', GREETING], ['C', `a1 APPEND {5+}\r\nDraft {${size}+}\r\n${MESSAGE}\r\n`], ['S', 'a1 OK\r\n']]);
    expect(s.exchanges[1].command!.args).toBe(`"Draft" {${size} bytes}`);
    expect(s.messages.length).toBe(1);
  });

  it('append-binary-literal8', () => {
    const s = imap([['S', GREETING], ['C', `a1 APPEND INBOX ~{${size}+}\r\n${MESSAGE}\r\n`], ['S', 'a1 OK\r\n']]);
    expect(s.messages[0]).toMatchObject({ via: 'imap.append', size });
  });

  it('multiappend-has-two-messages', () => {
    const s = imap([['S', GREETING], ['C', `a1 APPEND INBOX {${size}+}\r\n${MESSAGE} {${size}+}\r\n${MESSAGE}\r\n`], ['S', 'a1 OK\r\n']]);
    expect(s.messages.map((m) => m.exchange)).toEqual([1, 1]);
    expect(s.exchanges[1].bodies).toEqual([{ message: 0 }, { message: 1 }]);
  });

  it('gap-inside-an-append-literal', () => {
    const s = imap([
      ['S', GREETING],
      ['C', `a1 APPEND INBOX {${size}+}\r\n${MESSAGE.slice(0, 50)}`],
      ['gap', 'C', 30],
      ['C', `${MESSAGE.slice(80)}\r\na2 NOOP\r\n`],
      ['S', 'a1 OK\r\na2 OK\r\n'],
    ]);
    expect(s.messages[0]).toMatchObject({ size: size - 30, partial: true, from: 'Alice <alice@example.test>' });
    expect(anomalies(s)).toEqual([
      ['stream.resync', `30 bytes of a {${size}} literal lost in a gap: counted, reading on`],
      ['message.partial', `30 of ${size} bytes of the message literal missing`],
    ]);
    expect(s.exchanges[2].command!.verb).toBe('NOOP');
  });
});

describe('imap FETCH literals', () => {
  const size = Buffer.byteLength(MESSAGE, 'latin1');

  it('literal-containing-a-tagged-lookalike-does-not-complete-the-command', () => {
    const s = imap([
      ['S', GREETING],
      ['C', 'a1 FETCH 1 (UID BODY.PEEK[])\r\n'],
      ['S', `* 1 FETCH (UID 7 BODY[] {${size}}\r\n${MESSAGE})\r\na1 OK Fetch completed.\r\n`],
    ]);
    expect(views(s)[1]).toEqual({
      command: 'a1 FETCH 1 (UID BODY.PEEK[])',
      reply: { tag: 'a1', status: 'OK', code: undefined, text: 'Fetch completed.' },
      untagged: [`* 1 FETCH (UID 7 BODY[] {${size} bytes})`],
      bodies: [0],
    });
    expect(s.messages).toEqual([expect.objectContaining({ exchange: 1, via: 'imap.fetch', size, partial: false, subject: 'hello' })]);
    expect(s.anomalies).toEqual([]);
  });

  it('fetch-with-several-literals-in-one-response', () => {
    const header = 'Subject: x\r\n\r\n';
    const s = imap([
      ['S', GREETING], ['C', 'a1 FETCH 1:2 (RFC822.HEADER ENVELOPE)\r\n'],
      ['S', `* 1 FETCH (RFC822.HEADER {${header.length}}\r\n${header} ENVELOPE ("date" {6}\r\nsubj\r\n NIL))\r\n`],
      ['S', `* 2 FETCH (BODY[HEADER.FIELDS (SUBJECT)]<0> {${header.length}}\r\n${header})\r\na1 OK\r\n`],
    ]);
    expect(s.exchanges[1].untagged).toEqual([
      `* 1 FETCH (RFC822.HEADER {${header.length} bytes} ENVELOPE ("date" {6 bytes} NIL))`,
      `* 2 FETCH (BODY[HEADER.FIELDS (SUBJECT)]<0> {${header.length} bytes})`,
    ]);
    expect(s.messages.map((m) => [m.via, m.size, m.subject])).toEqual([['imap.fetch', header.length, 'x'], ['imap.fetch', header.length, 'x']]);
  });

  it('small-non-message-literal-is-shown-as-a-string', () => {
    const s = imap([['S', GREETING], ['C', 'a1 LIST "" *\r\n'], ['S', '* LIST () "/" {8}\r\nMy "Box"\r\na1 OK\r\n']]);
    expect(s.exchanges[1].untagged).toEqual(['* LIST () "/" "My \\"Box\\""']);
    expect(s.messages).toEqual([]);
  });

  it('zero-length-literal', () => {
    const s = imap([['S', GREETING], ['C', 'a1 FETCH 1 BODY[1]\r\n'], ['S', '* 1 FETCH (BODY[1] {0}\r\n)\r\na1 OK\r\n']]);
    expect(s.exchanges[1].untagged).toEqual(['* 1 FETCH (BODY[1] "")']);
    expect(s.messages).toEqual([]);
    expect(s.exchanges[1].reply!.status).toBe('OK');
  });

  it('response-split-across-many-segments', () => {
    const text = `* 1 FETCH (FLAGS (\\Seen) BODY[] {${size}}\r\n${MESSAGE})\r\n* 2 EXISTS\r\na1 OK Fetch completed.\r\n`;
    const s = imap([['S', GREETING], ['C', 'a1 FETCH 1 (FLAGS BODY[])\r\n'], ...chop(text, 3).map((p) => ['S', p] as ['S', string])]);
    const whole = imap([['S', GREETING], ['C', 'a1 FETCH 1 (FLAGS BODY[])\r\n'], ['S', text]]);
    expect(views(s)).toEqual(views(whole));
    expect(s.messages.map(({ sha256, size: n }) => [sha256, n])).toEqual(whole.messages.map(({ sha256, size: n }) => [sha256, n]));
    expect(s.exchanges[1].untagged).toEqual([`* 1 FETCH (FLAGS (\\Seen) BODY[] {${size} bytes})`, '* 2 EXISTS']);
    expect(s.anomalies).toEqual([]);
  });

  it('gap-in-the-middle-of-a-fetch-literal', () => {
    const s = imap([
      ['S', GREETING], ['C', 'a1 FETCH 1 BODY[]\r\n'],
      ['S', `* 1 FETCH (BODY[] {${size}}\r\n${MESSAGE.slice(0, 60)}`],
      ['gap', 'S', 40],
      ['S', `${MESSAGE.slice(100)})\r\na1 OK done\r\n`],
    ]);
    expect(views(s)[1]).toEqual({
      command: 'a1 FETCH 1 BODY[]',
      reply: { tag: 'a1', status: 'OK', code: undefined, text: 'done' },
      untagged: [`* 1 FETCH (BODY[] {${size} bytes, 40 missing})`],
      bodies: [0],
    });
    expect(s.messages[0]).toMatchObject({ size: size - 40, partial: true, from: 'Alice <alice@example.test>' });
    expect(anomalies(s)).toEqual([
      ['stream.resync', `40 bytes of a {${size}} literal lost in a gap: counted, reading on`],
      ['message.partial', `40 of ${size} bytes of the message literal missing`],
    ]);
  });

  it('gap-past-the-end-of-a-literal-resyncs-on-the-next-response', () => {
    const s = imap([
      ['S', GREETING], ['C', 'a1 FETCH 1 BODY[]\r\n'], ['C', 'a2 NOOP\r\n'],
      ['S', `* 1 FETCH (BODY[] {${size}}\r\n${MESSAGE.slice(0, 60)}`],
      ['gap', 'S', size - 60 + 5],
      ['S', ' NIL)\r\nnot a response\r\na1 OK done\r\na2 OK\r\n'],
    ]);
    expect(views(s).slice(1)).toEqual([
      {
        command: 'a1 FETCH 1 BODY[]', reply: { tag: 'a1', status: 'OK', code: undefined, text: 'done' },
        untagged: [`* 1 FETCH (BODY[] {${size} bytes, ${size - 60} missing}`], bodies: [0],
      },
      { command: 'a2 NOOP', reply: { tag: 'a2', status: 'OK', code: undefined, text: '' } },
    ]);
    expect(anomalies(s)).toEqual([
      ['stream.resync', `${size - 60} bytes of a {${size}} literal lost in a gap: counted, reading on`],
      ['message.partial', `${size - 60} of ${size} bytes of the message literal missing`],
      ['stream.resync', `server: after a gap of ${size - 60 + 5} bytes, skipped 2 line(s) (23 bytes) to the next response`],
    ]);
  });

  it('literal-size-beyond-the-bound', () => {
    const s = imap([['S', GREETING], ['C', 'a1 FETCH 1 BODY[]\r\n'], ['S', '* 1 FETCH (BODY[] {99999999999}\r\na1 OK\r\n']]);
    expect(s.exchanges[1].untagged).toEqual(['* 1 FETCH (BODY[] {99999999999}']);
    expect(s.exchanges[1].reply!.status).toBe('OK');
    expect(anomalies(s)).toEqual([['literal.bad_size', 'literal size 99999999999 is beyond the 1073741824-byte bound']]);
  });

  it('literal-size-with-too-many-digits', () => {
    const s = imap([['S', GREETING], ['C', `a1 APPEND INBOX {${'9'.repeat(40)}+}\r\na2 NOOP\r\n`], ['S', 'a1 BAD\r\na2 OK\r\n']]);
    expect(s.exchanges.map((e) => e.command?.verb)).toEqual([undefined, 'APPEND', 'NOOP']);
    expect(anomalies(s)).toEqual([['literal.bad_size', 'literal size 999999999999…(40 digits) is beyond the 1073741824-byte bound']]);
  });
});

describe('imap line handling', () => {
  it('gap-in-line-mode-drops-the-partial-line-and-resyncs', () => {
    const s = imap([
      ['S', GREETING], ['C', 'a1 SELECT INBOX\r\n'],
      ['S', '* 5 EXISTS\r\n* FLAGS (\\Ans'],
      ['gap', 'S', 100],
      ['S', 'wered)] Flags permitted.\r\n* 3 RECENT\r\na1 OK [READ-WRITE] done\r\n'],
    ]);
    expect(views(s)[1]).toEqual({
      command: 'a1 SELECT INBOX', reply: { tag: 'a1', status: 'OK', code: 'READ-WRITE', text: 'done' }, untagged: ['* 5 EXISTS', '* 3 RECENT'],
    });
    expect(anomalies(s)).toEqual([['stream.resync', 'server: after a gap of 100 bytes, skipped 1 line(s) (39 bytes) to the next response']]);
  });

  it('gap-in-client-line-mode', () => {
    const s = imap([['S', GREETING], ['C', 'a1 NOOP\r\na2 SEL'], ['gap', 'C', 10], ['C', 'X\r\na3 CHECK\r\n'], ['S', 'a1 OK\r\na3 OK\r\n']]);
    expect(s.exchanges.map((e) => e.command?.tag ?? null)).toEqual([null, 'a1', 'a3']);
    expect(anomalies(s)).toEqual([['stream.resync', 'client: after a gap of 10 bytes, skipped 1 line(s) (9 bytes) to the next command']]);
  });

  it('line-too-long-is-cut', () => {
    const long = `* SEARCH ${'1 '.repeat(10000)}\r\n`;
    const s = imap([['S', GREETING], ['C', 'a1 SEARCH ALL\r\n'], ['S', `${long}a1 OK\r\n`]]);
    expect(s.exchanges[1].untagged![0].length).toBe(16 * 1024);
    expect(s.exchanges[1].reply!.status).toBe('OK');
    expect(anomalies(s)).toEqual([['line.too_long', `server line of ${long.length - 2} bytes cut at 16384`]]);
  });

  it('line-too-long-ending-in-a-literal-still-reads-the-literal', () => {
    const s = imap([['S', GREETING], ['C', 'a1 FETCH 1 BODY[]\r\n'], ['S', `* 1 FETCH (X-JUNK ${'x'.repeat(20000)} BODY[] {7}\r\na1 OK\r\n)\r\na1 OK done\r\n`]]);
    expect(s.exchanges[1].reply!.text).toBe('done');
    expect(s.messages.length).toBe(0); // the cut line's start decides: unknown, so the literal is only counted
    expect(s.anomalies.map((a) => a.kind)).toEqual(['line.too_long']);
  });

  it('bare-lf-is-accepted-and-noted-once-per-direction', () => {
    const s = imap([['S', '* OK hi\n'], ['C', 'a1 NOOP\na2 NOOP\n'], ['S', 'a1 OK\na2 OK\r\n']]);
    expect(s.exchanges.map((e) => e.reply?.status)).toEqual(['OK', 'OK', 'OK']);
    expect(anomalies(s)).toEqual([
      ['line.bare_lf', 'server line ended by a bare LF (RFC 9051 2.2 requires CRLF)'],
      ['line.bare_lf', 'client line ended by a bare LF (RFC 9051 2.2 requires CRLF)'],
    ]);
  });

  it('continuation-with-nothing-in-flight', () => {
    const s = imap([['S', GREETING], ['S', '+ what\r\n']]);
    expect(views(s)[1]).toEqual({ command: null, reply: { tag: '+', status: undefined, code: undefined, text: 'what' } });
    expect(anomalies(s)).toEqual([['reply.unexpected', 'continuation request with no command waiting for it']]);
  });

  it('held-client-bytes-beyond-64k-are-assumed-accepted', () => {
    const big = 'x'.repeat(70 * 1024);
    const s = imap([['S', GREETING], ['C', `a1 APPEND INBOX {${big.length}}\r\n`], ['C', `${big}\r\na2 NOOP\r\n`], ['S', 'a1 OK\r\na2 OK\r\n']]);
    expect(s.exchanges.map((e) => e.reply?.status)).toEqual(['OK', 'OK', 'OK']);
    expect(s.messages[0]).toMatchObject({ size: big.length, partial: false });
    expect(s.anomalies.map((a) => a.kind)).toEqual(['reply.missing']);
  });

  it('gap-after-held-client-bytes-is-applied-after-them', () => {
    // The client's bytes wait for "+"; the gap after them must not be spliced into them.
    const s = imap([
      ['S', GREETING], ['C', 'a1 LOGIN {3}\r\n'], ['C', 'bob secret\r\na2 NO'], ['gap', 'C', 9], ['C', 'OP\r\na3 NOOP\r\n'],
      ['S', '+ go\r\n'], ['S', 'a1 OK\r\na3 OK\r\n'],
    ]);
    expect(s.exchanges.map((e) => e.command && `${e.command.tag} ${e.command.verb} ${e.command.args}`)).toEqual([null, 'a1 LOGIN "bob" <redacted>', 'a3 NOOP ']);
    expect(anomalies(s)).toEqual([['stream.resync', 'client: after a gap of 9 bytes, skipped 1 line(s) (9 bytes) to the next command']]);
  });

  it('one-sided-synchronising-literal-does-not-wait', () => {
    const s = imap([['C', 'a1 LOGIN {3}\r\nbob {6}\r\nsecret\r\na2 SELECT INBOX\r\n']]);
    expect(s.exchanges.map((e) => `${e.command!.verb} ${e.command!.args}`)).toEqual(['LOGIN "bob" <redacted>', 'SELECT INBOX']);
  });
});

describe('imap IDLE', () => {
  it('idle-with-untagged-exists-then-done', () => {
    const s = imap([
      ['S', GREETING], ['C', 'a1 IDLE\r\n'], ['S', '+ idling\r\n'],
      ['S', '* 3 EXISTS\r\n'], ['S', '* 1 EXPUNGE\r\n'],
      ['C', 'DONE\r\n'], ['S', 'a1 OK IDLE terminated\r\n'],
      ['C', 'a2 NOOP\r\n'], ['S', 'a2 OK\r\n'],
    ]);
    expect(views(s).slice(1)).toEqual([
      {
        command: 'a1 IDLE', reply: { tag: 'a1', status: 'OK', code: undefined, text: 'IDLE terminated' },
        interim: [{ reply: '+ idling', response: 'DONE' }], untagged: ['* 3 EXISTS', '* 1 EXPUNGE'],
      },
      { command: 'a2 NOOP', reply: { tag: 'a2', status: 'OK', code: undefined, text: '' } },
    ]);
    expect(s.anomalies).toEqual([]);
  });

  it('done-without-idle', () => {
    const s = imap([['S', GREETING], ['C', 'DONE\r\n']]);
    expect(s.exchanges.length).toBe(1);
    expect(anomalies(s)).toEqual([['command.unknown', 'DONE without IDLE']]);
  });
});

describe('imap STARTTLS', () => {
  it('starttls-hands-everything-after-the-ok-to-tls', () => {
    const r = runImap([
      ['S', GREETING], ['C', 'a1 STARTTLS\r\n\x16\x03\x01hello'], ['S', 'a1 OK Begin TLS negotiation now\r\n\x16\x03\x03server'],
      ['C', 'more'], ['S', 'tls'],
    ]);
    expect(views(r.session)[1]).toEqual({ command: 'a1 STARTTLS', reply: { tag: 'a1', status: 'OK', code: undefined, text: 'Begin TLS negotiation now' } });
    expect(r.tls.mode).toBe('starttls');
    expect(r.tls.exchange).toBe(1);
    expect(r.tls.bytes[0].toString('latin1')).toBe('\x16\x03\x01hellomore');
    expect(r.tls.bytes[1].toString('latin1')).toBe('\x16\x03\x03servertls');
    expect(r.session.anomalies).toEqual([]);
  });

  it('starttls-refused-carries-on-in-clear-text', () => {
    const r = runImap([['S', GREETING], ['C', 'a1 STARTTLS\r\n'], ['S', 'a1 BAD not now\r\n'], ['C', 'a2 LOGIN a b\r\n'], ['S', 'a2 OK\r\n']]);
    expect(r.tls.mode).toBeNull();
    expect(r.session.exchanges.map((e) => e.reply?.status)).toEqual(['OK', 'BAD', 'OK']);
  });
});
