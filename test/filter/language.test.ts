/** The lexer, parser, type checker and evaluator on hand-made input. */
import { describe, expect, it } from 'vitest';
import { compileFilter, listFields } from '../../src/filter/index.js';
import { tokenize } from '../../src/filter/lexer.js';
import { parse, type Node } from '../../src/filter/parser.js';
import { typecheck } from '../../src/filter/typecheck.js';
import { inCidr, parseCidr, parseIp } from '../../src/filter/values.js';
import type { Exchange, Session } from '../../src/session/model.js';

describe('lexer', () => {
  const kinds = (s: string) => tokenize(s).map((t) => `${t.kind}:${t.text}`);
  it('reads operators, words and punctuation with offsets', () => {
    expect(kinds('a==1&&!b||c~=2')).toEqual(['word:a', 'op:==', 'word:1', 'and:&&', 'not:!', 'word:b', 'or:||', 'word:c', 'op:~=', 'word:2', 'end:']);
    expect(tokenize('  ip.addr')[0]).toMatchObject({ pos: 2, len: 7 });
  });
  it('splits ranges but keeps addresses and networks whole', () => {
    expect(kinds('{400..499}')).toEqual(['{:{', 'word:400', '..:..', 'word:499', '}:}', 'end:']);
    expect(kinds('2001:db8::/32 10.0.0.0/8')).toEqual(['word:2001:db8::/32', 'word:10.0.0.0/8', 'end:']);
  });
  it('unescapes strings: \\" \\\\ \\n \\t \\xHH and octal', () => {
    expect(tokenize('"a\\"b\\\\c\\n\\t\\x41\\101"')[0].value).toBe('a"b\\c\n\tAA');
  });
  it('keeps backslashes in raw strings', () => {
    expect(tokenize('r"\\d+\\."')[0]).toMatchObject({ kind: 'string', value: '\\d+\\.', raw: true });
  });
  it('reads === and !== as one operator', () => {
    expect(kinds('a === 1 b !== 2').filter((k) => k.startsWith('op'))).toEqual(['op:===', 'op:!==']);
  });
});

describe('parser', () => {
  const shape = (n: Node): unknown => {
    switch (n.kind) {
      case 'and': case 'or': return [n.kind, shape(n.left), shape(n.right)];
      case 'not': return ['not', shape(n.operand)];
      case 'exists': return n.operand.kind === 'word' ? n.operand.text : '?';
      case 'compare': return [n.op, (n.left as { text: string }).text];
      case 'in': return [n.negated ? 'not in' : 'in', n.items.length];
    }
  };
  it('binds not tighter than and, and tighter than or (Wireshark 4)', () => {
    expect(shape(parse('a || b && !c'))).toEqual(['or', 'a', ['and', 'b', ['not', 'c']]]);
    expect(shape(parse('not a and b or c'))).toEqual(['or', ['and', ['not', 'a'], 'b'], 'c']);
  });
  it('associates and / or to the left, and honours parentheses', () => {
    expect(shape(parse('a or b or c'))).toEqual(['or', ['or', 'a', 'b'], 'c']);
    expect(shape(parse('(a || b) && c'))).toEqual(['and', ['or', 'a', 'b'], 'c']);
  });
  it('reads the word operators as the symbols', () => {
    for (const [w, s] of [['eq', '=='], ['ne', '!='], ['gt', '>'], ['ge', '>='], ['lt', '<'], ['le', '<='], ['any_ne', '~='], ['all_eq', '===']]) {
      expect(shape(parse(`x ${w} 1`))).toEqual([s, 'x']);
    }
  });
  it('reads sets with spaces or commas, ranges, and not in', () => {
    expect(shape(parse('x in {1 2..3, 4}'))).toEqual(['in', 3]);
    expect(shape(parse('x not in {1}'))).toEqual(['not in', 1]);
  });
});

describe('type checker', () => {
  const check = (s: string) => typecheck(s, parse(s)).tree;
  it('reads a word by the type of the other side', () => {
    expect(check('ip.addr == 10.0.0.0/8')).toMatchObject({ kind: 'compare', right: { kind: 'cidr' } });
    expect(check('smtp.mail.from == Alice')).toMatchObject({ right: { kind: 'const', value: 'Alice' } });
    // A command verb is compared without regard to case: the constant is taken in lower case, as the values are.
    expect(check('smtp.req.command == MAIL')).toMatchObject({ left: { caseless: true }, right: { kind: 'const', value: 'mail' } });
    expect(check('smtp.response.code == 0x1f4')).toMatchObject({ right: { kind: 'const', value: 500 } });
    expect(check('auth.failed == true')).toMatchObject({ right: { kind: 'const', value: true } });
  });
  it('compares two fields of the same type', () => {
    expect(check('smtp.mail.from == auth.user')).toMatchObject({ right: { kind: 'field' } });
  });
  it('turns a leading (?i) into the i flag', () => {
    expect(check('smtp.rsp.parameter matches "(?i)relay"')).toMatchObject({ kind: 'matches', regex: /relay/i });
  });
});

describe('values', () => {
  it('parses IPv4, IPv6 and networks', () => {
    expect(parseIp('192.0.2.1')).toEqual({ family: 4, n: 0xc0000201n });
    expect(parseIp('::ffff:192.0.2.1')).toEqual({ family: 6, n: 0xffffc0000201n });
    expect(parseIp('256.0.0.1')).toBeNull();
    expect(inCidr(parseIp('2001:db8::25')!, parseCidr('2001:db8::/32')!)).toBe(true);
    expect(inCidr(parseIp('2001:db9::25')!, parseCidr('2001:db8::/32')!)).toBe(false);
    expect(inCidr(parseIp('10.255.0.1')!, parseCidr('10.0.0.0/8')!)).toBe(true);
  });
});

/** A hand-made SMTP session: greeting, EHLO, MAIL, two RCPTs (one refused). */
function session(): Session {
  const reply = (code: number, text: string, enhanced?: string) => ({ ts: '2024-05-01T10:00:00Z', frame: 1, lines: [`${code} ${text}`], text, code, ...(enhanced ? { enhanced } : {}) });
  const cmd = (verb: string, args: string) => ({ ts: '2024-05-01T10:00:00Z', frame: 1, verb, args });
  const exchanges: Exchange[] = [
    { command: null, reply: reply(220, 'mx ESMTP') },
    { command: cmd('EHLO', 'client'), reply: reply(250, 'mx') },
    { command: cmd('MAIL', 'FROM:<a@example.com>'), reply: reply(250, '2.1.0 Ok', '2.1.0') },
    { command: cmd('RCPT', 'TO:<b@Example.NET>'), reply: reply(250, '2.1.5 Ok', '2.1.5') },
    { command: cmd('RCPT', 'TO:<c@example.org>'), reply: reply(550, '5.1.1 no such user', '5.1.1') },
  ];
  return {
    id: 1, stream: 0, protocol: 'smtp', client: { ip: '192.0.2.10', port: 51234 }, server: { ip: '192.0.2.25', port: 25 },
    start: '2024-05-01T10:00:00.000000Z', end: '2024-05-01T10:00:02.500000Z', bytes: { client: 100, server: 200 },
    tls: null, auth: [], exchanges, messages: [],
    tcp: { retransmissions: 0, out_of_order: 0, gaps: 0, gap_bytes: 0, zero_windows: 0, resets: 0 }, anomalies: [], closed: 'fin',
  };
}

describe('evaluation (Wireshark 4 semantics)', () => {
  const s = session();
  const m = (e: string) => compileFilter(e).matches(s);
  it('== is true when any value matches', () => {
    expect(m('smtp.response.code == 550')).toBe(true);
    expect(m('smtp.response.code == 554')).toBe(false);
  });
  it('!= is true only when no value matches', () => {
    expect(m('smtp.response.code != 550')).toBe(false);
    expect(m('smtp.response.code != 554')).toBe(true);
  });
  it('=== needs every value equal, ~= any value different', () => {
    expect(m('smtp.rcpt.domain === "example.net"')).toBe(false);
    expect(m('smtp.mail.from === "a@example.com"')).toBe(true);
    expect(m('smtp.response.code ~= 250')).toBe(true);
    expect(m('smtp.mail.from ~= "a@example.com"')).toBe(false);
  });
  it('a comparison on a field with no value is false, whatever the operator', () => {
    for (const op of ['==', '!=', '===', '~=', '>', '<']) expect(m(`auth.user ${op} "x"`)).toBe(false);
    expect(m('auth.user not in {"x"}')).toBe(false);
    expect(m('!(auth.user == "x")')).toBe(true);
  });
  it('strings compare case-sensitively; lower() and upper() are there for the rest', () => {
    expect(m('smtp.rsp.parameter contains "ok"')).toBe(false);
    expect(m('lower(smtp.rsp.parameter) contains "ok"')).toBe(true);
    expect(m('smtp.rsp.parameter matches "(?i)NO SUCH"')).toBe(true);
    expect(m('smtp.rsp.parameter matches "NO SUCH"')).toBe(false);
  });
  it('smtp.rcpt.domain is lower case', () => {
    expect(m('smtp.rcpt.domain == "example.net"')).toBe(true);
  });
  it('membership with ranges and values', () => {
    expect(m('smtp.response.code in {500..599}')).toBe(true);
    expect(m('smtp.response.code in {400..499 554}')).toBe(false);
    expect(m('smtp.response.code not in {220 250}')).toBe(false);
  });
  it('functions', () => {
    expect(m('count(smtp.rcpt.to) == 2')).toBe(true);
    expect(m('len(smtp.mail.from) == 13')).toBe(true);
    expect(m('upper(smtp.mail.from) == "A@EXAMPLE.COM"')).toBe(true);
  });
  it('addresses, ports and networks', () => {
    expect(m('ip.addr == 192.0.2.0/24')).toBe(true);
    expect(m('ip.src == 192.0.2.25 && ip.dst == 192.0.2.10')).toBe(true);
    expect(m('client.ip == 192.0.2.25')).toBe(false);
    expect(m('ip.addr > 192.0.2.20')).toBe(true);
    expect(m('tcp.port == 25 && server.port == 25 && client.port == 51234')).toBe(true);
  });
  it('durations with a fraction', () => {
    expect(m('session.duration == 2.5')).toBe(true);
  });
  it('boolean flags: bare, compared, negated', () => {
    expect(m('reply.failed')).toBe(true);
    expect(m('reply.failed == 1')).toBe(true);
    expect(m('auth.failed')).toBe(false);
    expect(m('!auth.failed')).toBe(true);
    expect(m('tcp.analysis.retransmission')).toBe(false);
  });
  it('per exchange: the refused RCPT alone', () => {
    expect(compileFilter('smtp.response.code >= 500 && smtp.req.command == "RCPT"').matchingExchanges(s)).toEqual([4]);
    expect(compileFilter('smtp.rcpt.to').matchingExchanges(s)).toEqual([3, 4]);
  });
  it('compiles the regular expression once, not per session', () => {
    const f = compileFilter('smtp.rsp.parameter matches "Ok$"');
    const spy = globalThis.RegExp;
    let made = 0;
    globalThis.RegExp = new Proxy(spy, { construct: (t, a) => { made++; return Reflect.construct(t, a); } });
    try {
      for (let i = 0; i < 100; i++) f.matches(s);
    } finally {
      globalThis.RegExp = spy;
    }
    expect(made).toBe(0);
  });
});

describe('field registry', () => {
  const fields = listFields();
  const names = fields.map((f) => f.name);
  it('has every field the issue lists', () => {
    const wanted = ['smtp', 'pop', 'imap', 'tls', 'smtp.req.command', 'smtp.req.parameter', 'smtp.response.code', 'smtp.rsp.parameter',
      'smtp.auth.username', 'pop.request.command', 'pop.request.parameter', 'pop.response.indicator', 'pop.response.description',
      'imap.request.command', 'imap.request_tag', 'imap.response.status', 'imap.response_tag', 'imap.request.username', 'ip.addr',
      'ip.src', 'ip.dst', 'ipv6.addr', 'tcp.port', 'tcp.srcport', 'tcp.dstport', 'tcp.analysis.retransmission',
      'tcp.analysis.lost_segment', 'tcp.analysis.zero_window', 'session.id', 'session.protocol', 'session.duration', 'session.bytes',
      'smtp.response.enhanced', 'imap.response.code', 'pop.response.code', 'auth.mechanism', 'auth.user', 'auth.result', 'auth.failed',
      'smtp.mail.from', 'smtp.rcpt.to', 'smtp.rcpt.domain', 'reply.class', 'reply.failed', 'tls.sni', 'tls.version', 'anomaly.kind'];
    expect(wanted.filter((w) => !names.includes(w))).toEqual([]);
  });
  it('names are unique and every field is described', () => {
    expect(new Set(names).size).toBe(names.length);
    expect(fields.filter((f) => f.description.length < 10)).toEqual([]);
  });
});
