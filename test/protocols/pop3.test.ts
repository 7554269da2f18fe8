/**
 * The POP3 machine on hand-written transcripts (RFC 1939, 2449, 2595, 5034):
 * one test per edge case, asserting exchanges, replies, auth, messages and
 * anomalies exactly.
 */
import { describe, expect, it } from 'vitest';
import { chop, type Step } from '../helpers/machine-harness.js';
import { GREETING, cmd, cont, pop3, reply, sha256, stuffed, t } from './pop3-helpers.js';

const greeting = reply(1, GREETING.trimEnd());

describe('POP3 greeting and authorisation', () => {
  it('greeting keeps the APOP timestamp in its text', () => {
    const { session } = pop3([['S', GREETING]]);
    expect(session.exchanges).toEqual([{ command: null, reply: greeting }]);
    expect(session.exchanges[0].reply!.text).toContain('<1896.697170952@dbc.mtview.ca.us>');
    expect(session.anomalies).toEqual([]);
  });

  it('USER and PASS are one attempt; the password is redacted', () => {
    const { session } = pop3([
      ['S', GREETING],
      ['C', 'USER alice\r\n'], ['S', '+OK\r\n'],
      ['C', 'PASS wonder land\r\n'], ['S', '+OK Logged in.\r\n'],
    ]);
    expect(session.exchanges).toEqual([
      { command: null, reply: greeting },
      { command: cmd(2, 'USER', 'alice'), reply: reply(3, '+OK') },
      { command: cmd(4, 'PASS', '<redacted>'), reply: reply(5, '+OK Logged in.') },
    ]);
    expect(session.auth).toEqual([{ mechanism: 'USER', user: 'alice', result: 'success', exchange: 1 }]);
    expect(session.anomalies).toEqual([]);
  });

  it('PASS is shown when secrets are asked for', () => {
    const { session } = pop3([['S', GREETING], ['C', 'USER alice\r\nPASS wonder land\r\n']], { showSecrets: true });
    expect(session.exchanges[2].command).toEqual(cmd(2, 'PASS', 'wonder land'));
  });

  it('PASS answered -ERR [AUTH] is a failed attempt with the response code', () => {
    const { session } = pop3([
      ['S', GREETING], ['C', 'USER alice\r\n'], ['S', '+OK\r\n'],
      ['C', 'PASS nope\r\n'], ['S', '-ERR [AUTH] Authentication failed.\r\n'],
    ]);
    expect(session.exchanges[2].reply).toEqual(reply(5, '-ERR [AUTH] Authentication failed.'));
    expect(session.exchanges[2].reply!.code).toBe('AUTH');
    expect(session.auth).toEqual([{ mechanism: 'USER', user: 'alice', result: 'failure', exchange: 1 }]);
  });

  it('a server that answers USER with -ERR [SYS/PERM] fails the attempt at USER', () => {
    const { session } = pop3([
      ['S', GREETING], ['C', 'USER bob\r\n'], ['S', '-ERR [SYS/PERM] mailbox store unavailable\r\n'],
      ['C', 'QUIT\r\n'], ['S', '+OK bye\r\n'],
    ]);
    expect(session.exchanges[1]).toEqual({
      command: cmd(2, 'USER', 'bob'),
      reply: { ts: t(3), frame: 3, lines: ['-ERR [SYS/PERM] mailbox store unavailable'], text: '[SYS/PERM] mailbox store unavailable', code: 'SYS/PERM', indicator: '-ERR' },
    });
    expect(session.auth).toEqual([{ mechanism: 'USER', user: 'bob', result: 'failure', exchange: 1 }]);
    expect(session.anomalies).toEqual([]);
  });

  it('-ERR [IN-USE] after PASS keeps the code', () => {
    const { session } = pop3([
      ['S', GREETING], ['C', 'USER alice\r\nPASS x\r\n'],
      ['S', '+OK\r\n-ERR [IN-USE] Mailbox is locked by another POP3 session\r\n'],
    ]);
    expect(session.exchanges[2].reply).toEqual(reply(3, '-ERR [IN-USE] Mailbox is locked by another POP3 session'));
    expect(session.exchanges[2].reply!.code).toBe('IN-USE');
    expect(session.auth[0].result).toBe('failure');
  });

  it('LOGIN-DELAY and SYS/TEMP codes are parsed', () => {
    const { session } = pop3([
      ['S', GREETING], ['C', 'PASS x\r\n'], ['S', '-ERR [LOGIN-DELAY] wait 5 minutes\r\n'],
      ['C', 'PASS y\r\n'], ['S', '-ERR [SYS/TEMP] try later\r\n'],
    ]);
    expect(session.exchanges.map((e) => e.reply?.code)).toEqual([undefined, 'LOGIN-DELAY', 'SYS/TEMP']);
    // A PASS with no USER before it is still an attempt, user unknown.
    expect(session.auth).toEqual([
      { mechanism: 'USER', user: null, result: 'failure', exchange: 1 },
      { mechanism: 'USER', user: null, result: 'failure', exchange: 2 },
    ]);
  });

  it('APOP keeps the user and redacts the digest', () => {
    const { session } = pop3([
      ['S', GREETING], ['C', 'APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n'], ['S', '+OK maildrop has 1 message (369 octets)\r\n'],
    ]);
    expect(session.exchanges[1].command).toEqual(cmd(2, 'APOP', 'mrose <redacted>'));
    expect(session.auth).toEqual([{ mechanism: 'APOP', user: 'mrose', result: 'success', exchange: 1 }]);
  });
});

describe('POP3 AUTH (RFC 5034)', () => {
  const plain = Buffer.from('\0alice\0secret').toString('base64');

  it('AUTH PLAIN with a "+ " continuation records the redacted response in interim', () => {
    const { session } = pop3([
      ['S', GREETING], ['C', 'AUTH PLAIN\r\n'], ['S', '+ \r\n'], ['C', `${plain}\r\n`], ['S', '+OK Logged in.\r\n'],
    ]);
    expect(session.exchanges[1]).toEqual({
      command: cmd(2, 'AUTH', 'PLAIN'),
      reply: reply(5, '+OK Logged in.'),
      interim: [{ reply: cont(3, ''), response: { ts: t(4), frame: 4, text: '<redacted>' } }],
    });
    expect(session.auth).toEqual([{ mechanism: 'PLAIN', user: 'alice', result: 'success', exchange: 1 }]);
    expect(session.anomalies).toEqual([]);
  });

  it('the client response sent before the "+ " arrives is held, not taken for a command', () => {
    const { session } = pop3([
      ['S', GREETING], ['C', `AUTH PLAIN\r\n${plain}\r\n`], ['S', '+ \r\n'], ['S', '-ERR [AUTH] Authentication failed.\r\n'],
    ]);
    expect(session.exchanges.map((e) => e.command?.verb ?? null)).toEqual([null, 'AUTH']);
    expect(session.exchanges[1].interim).toEqual([{ reply: cont(3, ''), response: { ts: t(2), frame: 2, text: '<redacted>' } }]);
    expect(session.auth).toEqual([{ mechanism: 'PLAIN', user: 'alice', result: 'failure', exchange: 1 }]);
    expect(session.anomalies).toEqual([]);
  });

  it('AUTH PLAIN with an initial response redacts it in the args', () => {
    const { session } = pop3([['S', GREETING], ['C', `AUTH PLAIN ${plain}\r\n`], ['S', '+OK\r\n'], ['C', 'STAT\r\n'], ['S', '+OK 0 0\r\n']]);
    expect(session.exchanges[1]).toEqual({ command: cmd(2, 'AUTH', 'PLAIN <redacted>'), reply: reply(3, '+OK') });
    expect(session.exchanges[2].command?.verb).toBe('STAT');
    expect(session.auth).toEqual([{ mechanism: 'PLAIN', user: 'alice', result: 'success', exchange: 1 }]);
  });

  it('AUTH LOGIN: two continuations, the user from the first response', () => {
    const u = Buffer.from('alice').toString('base64');
    const p = Buffer.from('secret').toString('base64');
    const { session } = pop3([
      ['S', GREETING], ['C', 'AUTH LOGIN\r\n'], ['S', '+ VXNlcm5hbWU6\r\n'], ['C', `${u}\r\n`],
      ['S', '+ UGFzc3dvcmQ6\r\n'], ['C', `${p}\r\n`], ['S', '+OK\r\n'],
    ], { showSecrets: true });
    expect(session.exchanges[1].interim).toEqual([
      { reply: cont(3, 'VXNlcm5hbWU6'), response: { ts: t(4), frame: 4, text: u } },
      { reply: cont(5, 'UGFzc3dvcmQ6'), response: { ts: t(6), frame: 6, text: p } },
    ]);
    expect(session.auth).toEqual([{ mechanism: 'LOGIN', user: 'alice', result: 'success', exchange: 1 }]);
  });

  it('AUTH CRAM-MD5 reveals the user in its response', () => {
    const r = Buffer.from('tim b913a602c7eda7a495b4e6e7334d3890').toString('base64');
    const { session } = pop3([
      ['S', GREETING], ['C', 'AUTH CRAM-MD5\r\n'], ['S', '+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n'], ['C', `${r}\r\n`], ['S', '+OK\r\n'],
    ]);
    expect(session.auth).toEqual([{ mechanism: 'CRAM-MD5', user: 'tim', result: 'success', exchange: 1 }]);
  });

  it('a "*" response cancels the exchange: aborted', () => {
    const { session } = pop3([
      ['S', GREETING], ['C', 'AUTH LOGIN\r\n'], ['S', '+ VXNlcm5hbWU6\r\n'], ['C', '*\r\n'], ['S', '-ERR Authentication aborted\r\n'],
      ['C', 'QUIT\r\n'], ['S', '+OK\r\n'],
    ]);
    expect(session.exchanges[1]).toEqual({
      command: cmd(2, 'AUTH', 'LOGIN'),
      reply: reply(5, '-ERR Authentication aborted'),
      interim: [{ reply: cont(3, 'VXNlcm5hbWU6'), response: { ts: t(4), frame: 4, text: '*' } }],
    });
    expect(session.auth).toEqual([{ mechanism: 'LOGIN', user: null, result: 'aborted', exchange: 1 }]);
    expect(session.exchanges[2].command?.verb).toBe('QUIT');
  });

  it('AUTH without a mechanism lists mechanisms in a multi-line reply and is no attempt', () => {
    const { session } = pop3([['S', GREETING], ['C', 'AUTH\r\n'], ['S', '+OK\r\nPLAIN\r\nLOGIN\r\n.\r\n'], ['C', 'NOOP\r\n'], ['S', '+OK\r\n']]);
    expect(session.exchanges[1]).toEqual({ command: cmd(2, 'AUTH'), reply: reply(3, '+OK', ['PLAIN', 'LOGIN']) });
    expect(session.exchanges[2]).toEqual({ command: cmd(4, 'NOOP'), reply: reply(5, '+OK') });
    expect(session.auth).toEqual([]);
  });

  it('AUTH without a mechanism answered -ERR is one line', () => {
    const { session } = pop3([['S', GREETING], ['C', 'AUTH\r\n'], ['S', '-ERR 1 argument required\r\n'], ['C', 'CAPA\r\n'], ['S', '+OK\r\nUSER\r\n.\r\n']]);
    expect(session.exchanges[1].reply).toEqual(reply(3, '-ERR 1 argument required'));
    expect(session.exchanges[2].reply).toEqual(reply(5, '+OK', ['USER']));
  });
});

describe('POP3 multi-line replies', () => {
  it('CAPA lines go in Reply.lines', () => {
    const { session } = pop3([['S', GREETING], ['C', 'CAPA\r\n'], ['S', '+OK Capability list follows\r\nTOP\r\nUSER\r\nSASL PLAIN LOGIN\r\nSTLS\r\nPIPELINING\r\n.\r\n']]);
    expect(session.exchanges[1]).toEqual({
      command: cmd(2, 'CAPA'),
      reply: reply(3, '+OK Capability list follows', ['TOP', 'USER', 'SASL PLAIN LOGIN', 'STLS', 'PIPELINING']),
    });
    expect(session.anomalies).toEqual([]);
  });

  it('LIST without an argument is multi-line, with one it is a single line', () => {
    const { session } = pop3([
      ['S', GREETING],
      ['C', 'LIST\r\n'], ['S', '+OK 2 messages (320 octets)\r\n1 120\r\n2 200\r\n.\r\n'],
      ['C', 'LIST 2\r\n'], ['S', '+OK 2 200\r\n'],
      ['C', 'LIST 3\r\n'], ['S', '-ERR no such message, only 2 messages in maildrop\r\n'],
    ]);
    expect(session.exchanges.slice(1)).toEqual([
      { command: cmd(2, 'LIST'), reply: reply(3, '+OK 2 messages (320 octets)', ['1 120', '2 200']) },
      { command: cmd(4, 'LIST', '2'), reply: reply(5, '+OK 2 200') },
      { command: cmd(6, 'LIST', '3'), reply: reply(7, '-ERR no such message, only 2 messages in maildrop') },
    ]);
    expect(session.anomalies).toEqual([]);
  });

  it('UIDL without an argument is multi-line, with one it is a single line', () => {
    const { session } = pop3([
      ['S', GREETING], ['C', 'UIDL\r\n'], ['S', '+OK\r\n1 whqtswO00WBw418f9t5JxYwZ\r\n2 QhdPYR:00WBw1Ph7x7\r\n.\r\n'],
      ['C', 'UIDL 2\r\n'], ['S', '+OK 2 QhdPYR:00WBw1Ph7x7\r\n'],
    ]);
    expect(session.exchanges[1].reply!.lines).toEqual(['+OK', '1 whqtswO00WBw418f9t5JxYwZ', '2 QhdPYR:00WBw1Ph7x7']);
    expect(session.exchanges[2].reply).toEqual(reply(5, '+OK 2 QhdPYR:00WBw1Ph7x7'));
  });

  it('a -ERR to a multi-line command is one line', () => {
    const { session } = pop3([['S', GREETING], ['C', 'RETR 9\r\n'], ['S', '-ERR no such message\r\n'], ['C', 'STAT\r\n'], ['S', '+OK 2 320\r\n']]);
    expect(session.exchanges.slice(1)).toEqual([
      { command: cmd(2, 'RETR', '9'), reply: reply(3, '-ERR no such message') },
      { command: cmd(4, 'STAT'), reply: reply(5, '+OK 2 320') },
    ]);
    expect(session.messages).toEqual([]);
  });

  it('listing lines are dot-unstuffed', () => {
    const { session } = pop3([['S', GREETING], ['C', 'CAPA\r\n'], ['S', '+OK\r\n..odd\r\n.\r\n']]);
    expect(session.exchanges[1].reply!.lines).toEqual(['+OK', '.odd']);
  });

  it('a listing longer than the bound keeps 1000 lines and counts the rest', () => {
    const lines = Array.from({ length: 1500 }, (_, i) => `${i + 1} 100`);
    const { session } = pop3([['S', GREETING], ['C', 'LIST\r\n'], ['S', `+OK\r\n${lines.join('\r\n')}\r\n.\r\n`]]);
    expect(session.exchanges[1].reply!.lines).toEqual(['+OK', ...lines.slice(0, 1000)]);
    expect(session.anomalies).toEqual([{ kind: 'reply.truncated', detail: 'LIST reply: 500 lines past the first 1000 counted, not kept', frame: 3, exchange: 1 }]);
  });

  it('a listing the server never ends with "." is closed by the next status line (Zeek pop3_bad-list-retr-crafted)', () => {
    const { session } = pop3([
      ['S', GREETING], ['C', 'LIST\r\n'], ['S', '+OK 2 messages\r\n1 120\r\n2 200\r\n'], ['C', 'STAT\r\n'], ['S', '+OK 2 320\r\n'],
    ]);
    expect(session.exchanges.slice(1)).toEqual([
      { command: cmd(2, 'LIST'), reply: reply(3, '+OK 2 messages', ['1 120', '2 200']) },
      { command: cmd(4, 'STAT'), reply: reply(5, '+OK 2 320') },
    ]);
    expect(session.anomalies).toEqual([
      { kind: 'reply.malformed', detail: 'multi-line reply to LIST not ended by "."; +OK taken as the next reply', frame: 5, exchange: 1 },
    ]);
  });

  it('a multi-line reply split across many segments (chop)', () => {
    const capa = '+OK Capability list follows\r\nTOP\r\nUSER\r\nUIDL\r\nSASL PLAIN\r\n.\r\n';
    for (const n of [1, 2, 3, 7]) {
      const steps: Step[] = [['S', GREETING], ['C', 'CAPA\r\n'], ...chop(capa, n).map((s): Step => ['S', s]), ['C', 'QUIT\r\n'], ['S', '+OK\r\n']];
      const { session } = pop3(steps);
      const last = 2 + Math.ceil(capa.length / n);
      expect(session.exchanges.slice(1)).toEqual([
        { command: cmd(2, 'CAPA'), reply: reply(2 + Math.ceil('+OK Capability list follows\r\n'.length / n), '+OK Capability list follows', ['TOP', 'USER', 'UIDL', 'SASL PLAIN']) },
        { command: cmd(last + 1, 'QUIT'), reply: reply(last + 2, '+OK') },
      ]);
      expect(session.anomalies).toEqual([]);
    }
  });
});

describe('POP3 messages (RETR, TOP)', () => {
  const message =
    'From: a@example.com\r\nTo: b@example.net\r\nSubject: tricky\r\n\r\n' +
    '+OK this is not a reply\r\n-ERR nor is this\r\n.leading dot\r\n.\r\n..two dots\r\n+ not a continuation\r\nend\r\n';

  it('a RETR body with "+OK", "-ERR" and dot-stuffed lines: exact SHA-256 after unstuffing', () => {
    const { session } = pop3([
      ['S', GREETING], ['C', 'RETR 1\r\n'], ['S', `+OK ${message.length} octets\r\n${stuffed(message)}`], ['C', 'QUIT\r\n'], ['S', '+OK bye\r\n'],
    ]);
    expect(session.exchanges.slice(1)).toEqual([
      { command: cmd(2, 'RETR', '1'), reply: reply(3, `+OK ${message.length} octets`), bodies: [{ message: 0 }] },
      { command: cmd(4, 'QUIT'), reply: reply(5, '+OK bye') },
    ]);
    expect(session.messages.map((m) => ({ ...m, parts: undefined, headers: undefined }))).toEqual([{
      exchange: 1, via: 'pop3.retr', size: message.length, sha256: sha256(message), partial: false,
      from: 'a@example.com', to: ['b@example.net'], subject: 'tricky',
    }]);
    expect(session.anomalies).toEqual([]);
  });

  it('TOP streams the header and n lines as a pop3.top message', () => {
    const top = 'Subject: hello\r\nFrom: c@example.org\r\n\r\nfirst line\r\n';
    const { session } = pop3([['S', GREETING], ['C', 'TOP 1 1\r\n'], ['S', `+OK\r\n${stuffed(top)}`]]);
    expect(session.exchanges[1]).toEqual({ command: cmd(2, 'TOP', '1 1'), reply: reply(3, '+OK'), bodies: [{ message: 0 }] });
    expect(session.messages.map((m) => ({ ...m, parts: undefined, headers: undefined }))).toEqual([{ exchange: 1, via: 'pop3.top', size: top.length, sha256: sha256(top), partial: false, from: 'c@example.org', subject: 'hello' }]);
    expect(session.messages[0].headers).toEqual([['Subject', 'hello'], ['From', 'c@example.org']]);
  });

  it('the CRLF.CRLF terminator split across segments', () => {
    const body = 'Subject: x\r\n\r\nhi\r\n';
    for (const [a, b] of [['hi\r\n', '.\r\n'], ['hi\r\n.', '\r\n'], ['hi\r\n.\r', '\n'], ['hi\r', '\n.\r\n']]) {
      const head = `+OK\r\nSubject: x\r\n\r\n${a}`;
      const { session } = pop3([['S', GREETING], ['C', 'RETR 1\r\n'], ['S', head], ['S', b], ['C', 'NOOP\r\n'], ['S', '+OK\r\n']]);
      expect(session.messages.map((m) => ({ ...m, parts: undefined, headers: undefined }))).toEqual([{ exchange: 1, via: 'pop3.retr', size: body.length, sha256: sha256(body), partial: false, subject: 'x' }]);
      expect(session.exchanges[2]).toEqual({ command: cmd(5, 'NOOP'), reply: reply(6, '+OK') });
      expect(session.anomalies).toEqual([]);
    }
  });

  it('a RETR body split into one-byte segments hashes the same', () => {
    const steps: Step[] = [['S', GREETING], ['C', 'RETR 1\r\n'], ...chop(`+OK\r\n${stuffed(message)}+OK 1 2\r\n`, 1).map((s): Step => ['S', s])];
    steps.splice(3 + 5 + stuffed(message).length, 0, ['C', 'STAT\r\n']);
    const { session } = pop3(steps);
    expect(session.messages[0]).toMatchObject({ size: message.length, sha256: sha256(message), partial: false });
    expect(session.exchanges[2].reply?.text).toBe('1 2');
    expect(session.anomalies).toEqual([]);
  });

  it('a body split in two at every byte: whole lines go in bulk, "." lines, CRLF and bare LF are read the same', () => {
    const message = 'Subject: s\r\n\r\nplain\r\n.stuffed\r\nbare\nafter\r\n\r\n';
    const wire = stuffed(message);
    const bareEnd = wire.indexOf('bare\n') + 4;
    for (let k = 1; k < wire.length; k++) {
      const { session } = pop3([
        ['S', GREETING], ['C', 'RETR 1\r\n'], ['S', `+OK\r\n${wire.slice(0, k)}`], ['S', wire.slice(k)], ['C', 'NOOP\r\n'], ['S', '+OK\r\n'],
      ]);
      expect(session.messages.map((m) => ({ size: m.size, sha256: m.sha256, partial: m.partial })), `split at ${k}`).toEqual([{ size: message.length, sha256: sha256(message), partial: false }]);
      // The bare LF is reported in the segment that carried its line's end.
      expect(session.anomalies, `split at ${k}`).toEqual([
        { kind: 'line.bare_lf', detail: 'server lines end with a bare LF (RFC 1939 section 3 wants CRLF)', frame: bareEnd < k ? 3 : 4 },
      ]);
      expect(session.exchanges[2], `split at ${k}`).toEqual({ command: cmd(5, 'NOOP'), reply: reply(6, '+OK') });
    }
  });

  it('a gap in the middle of a RETR body: partial message, resync at its "."', () => {
    const before = 'Subject: cut\r\n\r\nline one\r\nline t';
    const { session } = pop3([
      ['S', GREETING], ['C', 'RETR 1\r\n'], ['S', `+OK 900 octets\r\n${before}`], ['gap', 'S', 500],
      ['S', 'rest of a line\r\nlast line\r\n.\r\n'], ['C', 'DELE 1\r\n'], ['S', '+OK deleted\r\n'],
    ]);
    expect(session.messages.map((m) => ({ ...m, parts: undefined, headers: undefined }))).toEqual([{ exchange: 1, via: 'pop3.retr', size: before.length, sha256: sha256(before), partial: true, subject: 'cut' }]);
    expect(session.exchanges.slice(1)).toEqual([
      { command: cmd(2, 'RETR', '1'), reply: reply(3, '+OK 900 octets'), bodies: [{ message: 0 }] },
      { command: cmd(6, 'DELE', '1'), reply: reply(7, '+OK deleted') },
    ]);
    expect(session.anomalies).toEqual([
      { kind: 'message.partial', detail: `RETR body cut by a gap of 500 bytes after ${before.length} bytes`, frame: 4, exchange: 1 },
      { kind: 'stream.resync', detail: 'skipped 27 bytes of the RETR body after the gap, up to its terminating "."', frame: 5, exchange: 1 },
    ]);
  });

  it('a gap that takes the "." of a RETR body: the next reply after a new command ends the skip', () => {
    const { session } = pop3([
      ['S', GREETING], ['C', 'RETR 1\r\n'], ['S', '+OK message follows\r\nSubject: a\r\n\r\n+OK inside\r\n'], ['gap', 'S', 40],
      ['S', 'xx\r\n+OK also inside\r\n'], ['C', 'STAT\r\n'], ['S', '+OK 1 100\r\n'],
    ]);
    expect(session.exchanges.map((e) => e.reply?.lines[0])).toEqual([GREETING.trimEnd(), '+OK message follows', '+OK 1 100']);
    expect(session.messages[0]).toMatchObject({ partial: true, size: 'Subject: a\r\n\r\n+OK inside\r\n'.length });
    expect(session.anomalies.map((a) => a.kind)).toEqual(['message.partial', 'stream.resync']);
    expect(session.anomalies[1].detail).toBe('skipped 21 bytes of the RETR body after the gap; its terminating "." was lost, +OK taken as the next reply');
  });

  it('the connection ending inside a RETR body gives a partial message', () => {
    const { session } = pop3([['S', GREETING], ['C', 'RETR 1\r\n'], ['S', '+OK\r\nSubject: a\r\n\r\nbody li']]);
    expect(session.messages.map((m) => ({ ...m, parts: undefined, headers: undefined }))).toEqual([{ exchange: 1, via: 'pop3.retr', size: 21, sha256: sha256('Subject: a\r\n\r\nbody li'), partial: true, subject: 'a' }]);
    expect(session.anomalies).toEqual([{ kind: 'message.partial', detail: 'connection ended inside the RETR body after 21 bytes', frame: 4, exchange: 1 }]);
  });
});

describe('POP3 pipelining (RFC 2449 section 6.6)', () => {
  it('pipelined commands are matched to their replies in order, multi-line ones included', () => {
    const msg = 'Subject: p\r\n\r\nbody\r\n';
    const { session } = pop3([
      ['S', GREETING],
      ['C', 'USER alice\r\nPASS pw\r\nSTAT\r\nLIST\r\nRETR 1\r\nUIDL 1\r\nQUIT\r\n'],
      ['S', `+OK\r\n+OK Logged in.\r\n+OK 1 ${msg.length}\r\n+OK\r\n1 ${msg.length}\r\n.\r\n+OK\r\n${stuffed(msg)}+OK 1 abc\r\n+OK bye\r\n`],
    ]);
    expect(session.exchanges.slice(1)).toEqual([
      { command: cmd(2, 'USER', 'alice'), reply: reply(3, '+OK') },
      { command: cmd(2, 'PASS', '<redacted>'), reply: reply(3, '+OK Logged in.') },
      { command: cmd(2, 'STAT'), reply: reply(3, `+OK 1 ${msg.length}`) },
      { command: cmd(2, 'LIST'), reply: reply(3, '+OK', [`1 ${msg.length}`]) },
      { command: cmd(2, 'RETR', '1'), reply: reply(3, '+OK'), bodies: [{ message: 0 }] },
      { command: cmd(2, 'UIDL', '1'), reply: reply(3, '+OK 1 abc') },
      { command: cmd(2, 'QUIT'), reply: reply(3, '+OK bye') },
    ]);
    expect(session.messages.map((m) => ({ ...m, parts: undefined, headers: undefined }))).toEqual([{ exchange: 5, via: 'pop3.retr', size: msg.length, sha256: sha256(msg), partial: false, subject: 'p' }]);
    expect(session.auth).toEqual([{ mechanism: 'USER', user: 'alice', result: 'success', exchange: 1 }]);
    expect(session.anomalies).toEqual([]);
  });
});

describe('POP3 STLS (RFC 2595)', () => {
  it('after +OK every byte of both directions goes to TLS, queued ones included', () => {
    const { session, tls } = pop3([
      ['S', GREETING], ['C', 'STLS\r\n\x16\x03\x01hello'], ['S', '+OK Begin TLS negotiation\r\n\x16\x03\x03srv'], ['C', 'more'], ['S', 'xyz'],
    ]);
    expect(session.exchanges.slice(1)).toEqual([{ command: cmd(2, 'STLS'), reply: reply(3, '+OK Begin TLS negotiation') }]);
    expect(tls.mode).toBe('starttls');
    expect(tls.exchange).toBe(1);
    expect(tls.bytes[0].toString('latin1')).toBe('\x16\x03\x01hellomore');
    expect(tls.bytes[1].toString('latin1')).toBe('\x16\x03\x03srvxyz');
    expect(session.anomalies).toEqual([]);
  });

  it('STLS refused: carry on in clear text', () => {
    const { session, tls } = pop3([['S', GREETING], ['C', 'STLS\r\n'], ['S', '-ERR not now\r\n'], ['C', 'USER a\r\n'], ['S', '+OK\r\n']]);
    expect(tls.mode).toBeNull();
    expect(session.exchanges.slice(1)).toEqual([
      { command: cmd(2, 'STLS'), reply: reply(3, '-ERR not now') },
      { command: cmd(4, 'USER', 'a'), reply: reply(5, '+OK') },
    ]);
  });

  it('one-sided capture: STLS is assumed accepted and the rest goes to TLS', () => {
    const { session, tls } = pop3([['C', 'CAPA\r\nSTLS\r\n\x16\x03\x01'], ['C', 'abc']]);
    expect(tls.mode).toBe('starttls');
    expect(tls.bytes[0].toString('latin1')).toBe('\x16\x03\x01abc');
    expect(session.exchanges.map((e) => e.command?.verb)).toEqual(['CAPA', 'STLS']);
    expect(session.anomalies).toEqual([{ kind: 'reply.missing', detail: 'no server data in the capture: 2 commands have no reply', frame: 3 }]);
  });

  it('more than 64 KiB waiting after STLS: assume it succeeded', () => {
    const { tls, session } = pop3([['S', GREETING], ['C', 'STLS\r\n'], ['C', Buffer.alloc(70_000, 0x16)]]);
    expect(tls.mode).toBe('starttls');
    expect(tls.bytes[0].length).toBe(70_000);
    expect(session.anomalies).toEqual([{ kind: 'reply.missing', detail: 'more than 64 KiB of client data waited for the reply to STLS; assumed it succeeded', frame: 3, exchange: 1 }]);
  });
});

describe('POP3 oddities and damage', () => {
  it('an unknown command is kept, with a command.unknown anomaly', () => {
    const { session } = pop3([['S', GREETING], ['C', 'XTND XMIT\r\n'], ['S', '-ERR unknown command\r\n']]);
    expect(session.exchanges[1]).toEqual({ command: cmd(2, 'XTND', 'XMIT'), reply: reply(3, '-ERR unknown command') });
    expect(session.anomalies).toEqual([{ kind: 'command.unknown', detail: 'unknown command "XTND"', frame: 2, exchange: 1 }]);
  });

  it('a lower-case verb is recorded in upper case, and as sent', () => {
    const { session } = pop3([['S', GREETING], ['C', 'stat\r\n'], ['S', '+OK 0 0\r\n']]);
    expect(session.exchanges[1].command).toEqual({ ...cmd(2, 'STAT'), sent: 'stat' });
  });

  it('a reply nobody asked for is its own exchange', () => {
    const { session } = pop3([['S', GREETING], ['S', '-ERR idle timeout\r\n']]);
    expect(session.exchanges).toEqual([{ command: null, reply: greeting }, { command: null, reply: reply(2, '-ERR idle timeout') }]);
    expect(session.anomalies).toEqual([{ kind: 'reply.unexpected', detail: '-ERR with no command waiting for it', frame: 2, exchange: 1 }]);
  });

  it('server garbage that is no status line is reported and skipped (Zeek pop3-unknown-commands)', () => {
    const { session } = pop3([['S', GREETING], ['C', 'STAT\r\n'], ['S', 'x\r\n+OK 1 236\r\n']]);
    expect(session.exchanges[1]).toEqual({ command: cmd(2, 'STAT'), reply: reply(3, '+OK 1 236') });
    expect(session.anomalies).toEqual([{ kind: 'reply.malformed', detail: 'server line is not +OK, -ERR or a continuation: "x"', frame: 3, exchange: 1 }]);
  });

  it('a "+ " continuation outside AUTH is malformed', () => {
    const { session } = pop3([['S', GREETING], ['C', 'NOOP\r\n'], ['S', '+ \r\n+OK\r\n']]);
    expect(session.exchanges[1].reply).toEqual(reply(3, '+OK'));
    expect(session.anomalies.map((a) => a.kind)).toEqual(['reply.malformed']);
  });

  it('a command without a reply at the end: reply.missing', () => {
    const { session } = pop3([['S', GREETING], ['C', 'QUIT\r\n']]);
    expect(session.exchanges[1]).toEqual({ command: cmd(2, 'QUIT'), reply: null });
    expect(session.anomalies).toEqual([{ kind: 'reply.missing', detail: 'QUIT got no reply before the connection ended', frame: 3, exchange: 1 }]);
  });

  it('one-sided capture: reply.missing once per session; SASL responses guessed', () => {
    const plain = Buffer.from('\0carol\0pw').toString('base64');
    const { session } = pop3([['C', `CAPA\r\nAUTH PLAIN\r\n${plain}\r\nSTAT\r\nQUIT\r\n`]]);
    expect(session.exchanges.map((e) => e.command?.verb)).toEqual(['CAPA', 'AUTH', 'STAT', 'QUIT']);
    expect(session.auth).toEqual([{ mechanism: 'PLAIN', user: 'carol', result: 'unknown', exchange: 1 }]);
    expect(session.anomalies).toEqual([{ kind: 'reply.missing', detail: 'no server data in the capture: 4 commands have no reply', frame: 2 }]);
  });

  it('a command line longer than 16 KiB is cut, with line.too_long, and the rest skipped', () => {
    const long = 'X'.repeat(20_000);
    const { session } = pop3([['S', GREETING], ['C', `NOOP ${long}\r\nSTAT\r\n`], ['S', '-ERR too long\r\n+OK 0 0\r\n']]);
    expect(session.exchanges[1].command).toEqual(cmd(2, 'NOOP', long.slice(0, 16 * 1024 - 5)));
    expect(session.exchanges[2]).toEqual({ command: cmd(2, 'STAT'), reply: reply(3, '+OK 0 0') });
    expect(session.anomalies).toEqual([{ kind: 'line.too_long', detail: 'client line longer than 16384 bytes: cut there, the rest skipped', frame: 2 }]);
  });

  it('bare LF line endings are accepted with one anomaly per direction', () => {
    const { session } = pop3([['S', '+OK hi\n'], ['C', 'CAPA\n'], ['S', '+OK\nUSER\n.\n'], ['C', 'QUIT\n'], ['S', '+OK\n']]);
    expect(session.exchanges.map((e) => e.reply?.lines)).toEqual([['+OK hi'], ['+OK', 'USER'], ['+OK']]);
    expect(session.anomalies).toEqual([
      { kind: 'line.bare_lf', detail: 'server lines end with a bare LF (RFC 1939 section 3 wants CRLF)', frame: 1 },
      { kind: 'line.bare_lf', detail: 'client lines end with a bare LF (RFC 1939 section 3 wants CRLF)', frame: 2 },
    ]);
  });

  it('a gap in the server lines: the cut line is dropped, the next reply parses', () => {
    // The client was never seen pipelining before, so NOOP was sent after STAT's
    // reply, which the gap cut: the +OK after the gap is NOOP's.
    const { session } = pop3([['S', GREETING], ['C', 'STAT\r\nNOOP\r\n'], ['S', '+OK 1 '], ['gap', 'S', 10], ['S', '00\r\n+OK\r\n']]);
    expect(session.exchanges.slice(1)).toEqual([
      { command: cmd(2, 'STAT'), reply: null },
      { command: cmd(2, 'NOOP'), reply: reply(5, '+OK') },
    ]);
    expect(session.anomalies).toEqual([
      { kind: 'stream.resync', detail: 'server: 10 bytes missing; dropped 6 bytes of the line they cut and resumed at the next reply line', frame: 4 },
      { kind: 'reply.missing', detail: 'the reply to STAT was lost in a gap', frame: 5, exchange: 1 },
    ]);
  });

  it('a gap in the server lines of a client seen pipelining: the next reply goes to the oldest command', () => {
    const { session } = pop3([
      ['S', GREETING], ['C', 'NOOP\r\nNOOP\r\n'], ['S', '+OK\r\n+OK\r\n'],
      ['C', 'STAT\r\nLIST 1\r\n'], ['gap', 'S', 10], ['S', '+OK 1 100\r\n'],
    ]);
    expect(session.exchanges.slice(3).map((e) => [e.command?.verb, e.reply?.text ?? null])).toEqual([['STAT', '1 100'], ['LIST', null]]);
  });

  it('a gap that took the status line of a listing: its "." tells the reply was lost', () => {
    const { session } = pop3([['S', GREETING], ['C', 'LIST\r\n'], ['gap', 'S', 20], ['S', '2 200\r\n.\r\n'], ['C', 'NOOP\r\n'], ['S', '+OK\r\n']]);
    expect(session.exchanges.slice(1)).toEqual([
      { command: cmd(2, 'LIST'), reply: null },
      { command: cmd(5, 'NOOP'), reply: reply(6, '+OK') },
    ]);
    expect(session.anomalies.map((a) => [a.kind, a.exchange])).toEqual([['stream.resync', undefined], ['reply.missing', 1]]);
  });

  it('a gap in the client lines: the cut command is dropped', () => {
    const { session } = pop3([['S', GREETING], ['C', 'LIS'], ['gap', 'C', 5], ['C', 'x\r\nNOOP\r\n'], ['S', '+OK\r\n']]);
    expect(session.exchanges.slice(1)).toEqual([{ command: cmd(4, 'NOOP'), reply: reply(5, '+OK') }]);
    expect(session.anomalies).toEqual([{ kind: 'stream.resync', detail: 'client: 5 bytes missing; dropped 3 bytes of the command line they cut and resumed at the next command', frame: 3 }]);
  });

  it('a last line without its line end is still read', () => {
    const { session } = pop3([['S', GREETING], ['C', 'QUIT\r\n'], ['S', '+OK bye']]);
    expect(session.exchanges[1]).toEqual({ command: cmd(2, 'QUIT'), reply: reply(3, '+OK bye') });
    expect(session.anomalies).toEqual([]);
  });

  it('bytes are decoded as latin1 and kept as they are', () => {
    const { session } = pop3([['S', Buffer.from([0x2b, 0x4f, 0x4b, 0x20, 0xe9, 0xff, 0x0d, 0x0a])]]);
    expect(session.exchanges[0].reply!.text).toBe('\u00e9\u00ff');
  });
});

describe('POP3 gaps and a client that does not pipeline', () => {
  it('a gap that took a whole reply: the next command of a non-pipelining client shows it was lost', () => {
    const { session } = pop3([
      ['S', GREETING], ['C', 'STAT\r\n'], ['S', '+OK 1 5\r\n'], ['C', 'RETR 1\r\n'], ['gap', 'S', 26],
      ['C', 'QUIT\r\n'], ['S', '+OK bye\r\n'],
    ]);
    expect(session.exchanges.slice(1)).toEqual([
      { command: cmd(2, 'STAT'), reply: reply(3, '+OK 1 5') },
      { command: cmd(4, 'RETR', '1'), reply: null },
      { command: cmd(6, 'QUIT'), reply: reply(7, '+OK bye') },
    ]);
    expect(session.anomalies).toEqual([
      { kind: 'stream.resync', detail: 'server: 26 bytes missing; dropped 0 bytes of the line they cut and resumed at the next reply line', frame: 5 },
      { kind: 'reply.missing', detail: 'the reply to RETR was lost in a gap', frame: 7, exchange: 2 },
    ]);
  });
});
