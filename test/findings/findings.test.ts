/** A test per finding kind, on the real captures that show it (and hand-made ones where no recording can). */
import { describe, expect, it } from 'vitest';
import { FindingsAccumulator, sessionFindings } from '../../src/findings/index.js';
import { relayTrick } from '../../src/findings/relay.js';
import { analyse, conversation, kinds } from './helpers.js';

const ZEEK = '../shared/captures/zeek';

describe('clean captures: only the findings that are true there', () => {
  it('smtp-delivery.pcap (port 25, no AUTH): STARTTLS was offered and not used, and that is all', async () => {
    const a = await analyse(['captures/smtp-delivery.pcap']);
    expect(a.sessions).toHaveLength(3);
    expect(kinds(a.all)).toEqual(['starttls-not-used']);
  });

  it('smtp-auth-success.pcap: AUTH PLAIN on 587 without STARTTLS is clear-text credentials (true: the password is on the wire), nothing else', async () => {
    const a = await analyse(['captures/smtp-auth-success.pcap']);
    expect(kinds(a.all)).toEqual(['cleartext-credentials', 'starttls-not-used']);
    const c = a.all.find((f) => f.kind === 'cleartext-credentials')!;
    expect(c.severity).toBe('high');
    expect(c.why).toContain('AUTH PLAIN for alice sent without TLS on port 587');
    expect(c.evidence).toEqual([{ session: 1, exchanges: [2] }]);
  });

  it('imap-login-success.pcap and pop3-success.pcap: LOGIN / USER+PASS without TLS, STARTTLS / STLS offered and not used', async () => {
    for (const file of ['captures/imap-login-success.pcap', 'captures/pop3-success.pcap']) {
      const a = await analyse([file]);
      expect(kinds(a.all), file).toEqual(['cleartext-credentials', 'starttls-not-used']);
    }
  });

  it('TLS captures (STARTTLS and implicit) have no finding at all: the resets that close them are not TCP trouble', async () => {
    for (const file of ['smtp-starttls', 'smtps-465', 'imap-starttls', 'imaps-993', 'imaps-993-tls12', 'pop3-stls', 'pop3s-995']) {
      const a = await analyse([`captures/${file}.pcap`]);
      expect(a.all, file).toEqual([]);
    }
  });

  it('smtp-pipelining.pcap: pipelining was offered, so using it is no finding', async () => {
    const a = await analyse(['captures/smtp-pipelining.pcap']);
    expect(kinds(a.all)).toEqual(['starttls-not-used']);
  });

  it('smtp-large-message.pcap: a 3 MB DATA is not a slow reply (the final reply waits for the body)', async () => {
    const a = await analyse(['captures/smtp-large-message.pcap']);
    expect(kinds(a.all)).toEqual(['starttls-not-used']);
  });
});

describe('failed-login and password-guessing', () => {
  it('demo.pcap: the three failed logins (SMTP 535, IMAP NO, POP3 -ERR), each with the failing exchange', async () => {
    const a = await analyse(['captures/demo.pcap']);
    const failed = a.all.filter((f) => f.kind === 'failed-login');
    expect(failed.map((f) => f.evidence[0])).toEqual([
      { session: 5, exchanges: [2] }, { session: 15, exchanges: [2] }, { session: 19, exchanges: [2] },
    ]);
    expect(failed[0].why).toBe('1 failed login (alice) via LOGIN: 535 5.7.8');
    expect(a.capture.filter((f) => f.kind === 'password-guessing')).toEqual([]); // 3 failures: under the threshold
  });

  it('smtp-password-guessing.pcap: 12 failed AUTH LOGIN from one client over 12 sessions is password guessing (threshold 10)', async () => {
    const a = await analyse(['captures/smtp-password-guessing.pcap']);
    expect(a.sessions).toHaveLength(12);
    expect(a.all.filter((f) => f.kind === 'failed-login')).toHaveLength(12);
    const [g] = a.capture.filter((f) => f.kind === 'password-guessing');
    expect(g.severity).toBe('medium');
    expect(g.scope).toBe('capture');
    expect(g.count).toBe(12);
    expect(g.why).toMatch(/^12 failed logins from 127\.0\.0\.1 in 12 sessions for 1 user \(alice\) \(threshold 10\)$/);
    expect(g.evidence.map((e) => e.session)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('a higher threshold keeps quiet; a success after the failures makes it high', async () => {
    expect((await analyse(['captures/smtp-password-guessing.pcap'], { guessingThreshold: 13 })).capture).toEqual([]);
    // The same client then logs in: smtp-auth-success.pcap's session, taken as the 13th.
    const guessing = await analyse(['captures/smtp-password-guessing.pcap']);
    const ok = { ...(await analyse(['captures/smtp-auth-success.pcap'])).sessions[0], id: 13 };
    const acc = new FindingsAccumulator();
    for (const s of [...guessing.sessions, ok]) acc.add(s);
    const g = acc.finish().find((f) => f.kind === 'password-guessing')!;
    expect(g.severity).toBe('high');
    expect(g.why).toMatch(/; then a login succeeded in session 13$/);
    expect(g.evidence.at(-1)).toEqual({ session: 13, exchanges: [2] });
  });
});

describe('clear text and STARTTLS', () => {
  it('demo.pcap: clear-text credentials in the 6 plain sessions that log in, none in the TLS ones', async () => {
    const a = await analyse(['captures/demo.pcap']);
    const c = a.all.filter((f) => f.kind === 'cleartext-credentials');
    expect(c.map((f) => f.evidence[0].session)).toEqual([4, 5, 14, 15, 18, 19]);
    expect(c.map((f) => f.severity)).toEqual(['high', 'medium', 'high', 'medium', 'high', 'medium']);
    // STARTTLS sessions (11, 16, 20) and implicit TLS (12, 17, 21) offer nothing to find.
    for (const id of [11, 12, 16, 17, 20, 21]) expect(a.own.get(id), `session ${id}`).toEqual([]);
  });

  it('starttls-refused: 454 to STARTTLS (hand-made)', async () => {
    const file = conversation([
      ['S', '220 mx.example.com ESMTP\r\n'], ['C', 'EHLO c.example.org\r\n'], ['S', '250-mx.example.com\r\n250 STARTTLS\r\n'],
      ['C', 'STARTTLS\r\n'], ['S', '454 4.7.0 TLS not available due to local problem\r\n'], ['C', 'QUIT\r\n'], ['S', '221 2.0.0 Bye\r\n'],
    ]);
    const a = await analyse([file]);
    expect(kinds(a.all)).toEqual(['starttls-refused']);
    expect(a.all[0].why).toBe('STARTTLS refused: 454 4.7.0 TLS not available due to local problem; the session went on in clear');
    expect(a.all[0].evidence).toEqual([{ session: 1, exchanges: [2] }]);
  });

  it('tls-required-not-used: 530 5.7.0 Must issue a STARTTLS command first (hand-made)', async () => {
    const file = conversation([
      ['S', '220 mx.example.com ESMTP\r\n'], ['C', 'EHLO c.example.org\r\n'], ['S', '250-mx.example.com\r\n250 STARTTLS\r\n'],
      ['C', 'MAIL FROM:<a@example.org>\r\n'], ['S', '530 5.7.0 Must issue a STARTTLS command first\r\n'], ['C', 'QUIT\r\n'], ['S', '221 2.0.0 Bye\r\n'],
    ]);
    const a = await analyse([file]);
    expect(kinds(a.all)).toEqual(['starttls-not-used', 'tls-required-not-used']);
    const f = a.all.find((x) => x.kind === 'tls-required-not-used')!;
    expect(f.why).toBe('the server requires TLS (530 5.7.0 to MAIL) and the client did not use it');
    expect(f.evidence).toEqual([{ session: 1, exchanges: [2] }]);
  });

  it('tls-required-not-used: IMAP LOGINDISABLED and [PRIVACYREQUIRED] (hand-made)', async () => {
    const file = conversation([
      ['S', '* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n'],
      ['C', 'a1 LOGIN alice secret\r\n'], ['S', 'a1 NO [PRIVACYREQUIRED] Use STARTTLS first\r\n'],
      ['C', 'a2 LOGOUT\r\n'], ['S', '* BYE bye\r\na2 OK done\r\n'],
    ], 143);
    const a = await analyse([file]);
    const f = a.all.find((x) => x.kind === 'tls-required-not-used')!;
    expect(f.why).toContain('LOGINDISABLED');
    expect(f.evidence[0].exchanges).toEqual([0, 1]);
    expect(kinds(a.all)).toContain('cleartext-credentials');
  });
});

describe('open relay and relay tests', () => {
  it('smtp-relay-open.pcap (Postfix relaying for mynetworks): open relay, and each trick accepted', async () => {
    const a = await analyse(['captures/smtp-relay-open.pcap']);
    expect(a.sessions[0].server.port).toBe(2526);
    const relay = a.all.find((f) => f.kind === 'open-relay')!;
    expect(relay.severity).toBe('high');
    expect(relay.why).toMatch(/^accepted 4 RCPTs to elsewhere\.example, \[192\.0\.2\.1\] without authentication; the server's domains: mail\.example\.test, example\.test$/);
    const tests = a.all.filter((f) => f.kind === 'relay-test');
    expect(tests.map((f) => [f.severity, f.why.replace(/^relay test, (.*?): RCPT TO:.*(accepted|refused).*$/, '$1 $2')])).toEqual([
      ['high', 'source route @local:user@remote accepted'],
      ['high', 'IP-literal domain user@[address] accepted'],
      ['high', 'null sender <> to an outside domain accepted'],
      ['medium', 'percent hack user%remote@local accepted'],
      ['medium', 'quoted "user@remote"@local accepted'],
    ]);
  });

  it('smtp-relay-closed.pcap (port 25): no open relay; every trick is reported as refused, with the reply (info)', async () => {
    const a = await analyse(['captures/smtp-relay-closed.pcap']);
    expect(kinds(a.all)).toEqual(['relay-test', 'starttls-not-used']);
    const tests = a.all.filter((f) => f.kind === 'relay-test');
    expect(tests).toHaveLength(5);
    for (const t of tests) {
      expect(t.severity).toBe('info');
      expect(t.why).toMatch(/refused \(554 5\.7\.1\)$/);
    }
    expect(tests[4].evidence).toEqual([{ session: 1, exchanges: [17, 18] }]); // MAIL FROM:<> and its RCPT
  });

  it('smtp-relay-denied.pcap: a refused relay attempt alone is no finding', async () => {
    expect(kinds((await analyse(['captures/smtp-relay-denied.pcap'])).all)).toEqual(['starttls-not-used']);
  });

  it('--local-domain: without it the open-relay capture is still open; naming elsewhere.example as ours leaves only the IP literal', async () => {
    const a = await analyse(['captures/smtp-relay-open.pcap'], { localDomains: ['elsewhere.example'] });
    const relay = a.all.find((f) => f.kind === 'open-relay')!;
    expect(relay.count).toBe(1);
    expect(relay.why).toContain('[192.0.2.1]');
  });

  it('the Zeek capture (server "tinkyx390", no domain): accepted RCPTs are reported low, asking for --local-domain; with it, nothing', async () => {
    const file = `${ZEEK}/smtp-mail-transactions-invalid.pcap`;
    const relay = (await analyse([file])).all.find((f) => f.kind === 'open-relay')!;
    expect(relay.severity).toBe('low');
    expect(relay.why).toContain('--local-domain');
    expect((await analyse([file], { localDomains: ['example.org'] })).all.some((f) => f.kind === 'open-relay')).toBe(false);
  });

  it('recognises each trick', () => {
    expect(relayTrick('user%remote.example@example.test')).toBe('percent-hack');
    expect(relayTrick('"user@remote.example"@example.test')).toBe('quoted-local-part');
    expect(relayTrick('@example.test:user@remote.example')).toBe('source-route');
    expect(relayTrick('user@[192.0.2.1]')).toBe('ip-literal');
    expect(relayTrick('remote.example!user@example.test')).toBe('bang-path');
    expect(relayTrick('alice@example.test')).toBeNull();
  });
});

describe('protocol: invalid replies, sequence, pipelining', () => {
  it('out-of-sequence: the Zeek capture\'s RCPT before MAIL, DATA before RCPT, MAIL inside a transaction (the server\'s 503s agree)', async () => {
    const a = await analyse([`${ZEEK}/smtp-mail-transactions-invalid.pcap`]);
    const f = a.all.find((x) => x.kind === 'out-of-sequence')!;
    expect(f.why).toMatch(/^5 commands out of sequence: RCPT before an accepted MAIL; DATA before an accepted RCPT; MAIL inside an open transaction/);
    const s = a.sessions[0];
    for (const i of f.evidence[0].exchanges) expect(s.exchanges[i].reply?.code).toBe(503);
  });

  it('out-of-sequence: MAIL before EHLO, and POP3 PASS without USER (hand-made)', async () => {
    const smtp = await analyse([conversation([
      ['S', '220 mx.example.com ESMTP\r\n'], ['C', 'MAIL FROM:<a@example.com>\r\n'], ['S', '503 5.5.1 Error: send HELO/EHLO first\r\n'],
      ['C', 'QUIT\r\n'], ['S', '221 Bye\r\n'],
    ])]);
    expect(smtp.all.find((f) => f.kind === 'out-of-sequence')!.why).toBe('1 command out of sequence: MAIL before HELO / EHLO');
    const pop = await analyse([conversation([
      ['S', '+OK ready\r\n'], ['C', 'PASS secret\r\n'], ['S', '-ERR No username given.\r\n'], ['C', 'QUIT\r\n'], ['S', '+OK bye\r\n'],
    ], 110)]);
    expect(pop.all.find((f) => f.kind === 'out-of-sequence')!.evidence).toEqual([{ session: 1, exchanges: [1] }]);
  });

  it('invalid-reply: 354 to RCPT, 235 to MAIL, 250 to QUIT (RFC 5321 4.3.2; hand-made)', async () => {
    const a = await analyse([conversation([
      ['S', '220 mx.example.com ESMTP\r\n'], ['C', 'EHLO c\r\n'], ['S', '250 mx.example.com\r\n'],
      ['C', 'MAIL FROM:<a@example.com>\r\n'], ['S', '235 2.7.0 ok\r\n'],
      ['C', 'RCPT TO:<b@example.com>\r\n'], ['S', '354 go ahead\r\n'],
      ['C', 'QUIT\r\n'], ['S', '250 bye\r\n'],
    ])]);
    const f = a.all.find((x) => x.kind === 'invalid-reply')!;
    expect(f.count).toBe(3);
    expect(f.why).toContain('235 to MAIL (RFC 5321 4.3.2 allows 250)');
    expect(f.why).toContain('354 to RCPT (only DATA gets 354)');
    expect(f.evidence[0].exchanges).toEqual([2, 3, 4]);
  });

  it('pipelining-not-offered: MAIL and RCPT in one segment after HELO (hand-made); the same after EHLO offering PIPELINING is fine', async () => {
    const steps = (hello: ['C' | 'S', string][]): ['C' | 'S', string][] => [
      ['S', '220 mx.example.com ESMTP\r\n'], ...hello,
      ['C', 'MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\n'], ['S', '250 ok\r\n250 ok\r\n'], ['C', 'QUIT\r\n'], ['S', '221 bye\r\n'],
    ];
    const helo = await analyse([conversation(steps([['C', 'HELO c\r\n'], ['S', '250 mx.example.com\r\n']]))]);
    const f = helo.all.find((x) => x.kind === 'pipelining-not-offered')!;
    expect(f.evidence).toEqual([{ session: 1, exchanges: [3] }]);
    expect(f.why).toContain('RCPT first');
    const ehlo = await analyse([conversation(steps([['C', 'EHLO c\r\n'], ['S', '250-mx.example.com\r\n250 PIPELINING\r\n']]))]);
    expect(ehlo.all.some((x) => x.kind === 'pipelining-not-offered')).toBe(false);
  });
});

describe('sender reputation, sender authentication, greylisting', () => {
  it('smtp-policy-rejections.pcap (Postfix refusing a DNSBL-listed client, an SPF fail, a DMARC reject): one finding each, high on a 5xx', async () => {
    const a = await analyse(['captures/smtp-policy-rejections.pcap']);
    expect(a.sessions).toHaveLength(3);
    const f = a.all.filter((x) => x.kind === 'sender-reputation' || x.kind === 'sender-authentication');
    expect(f.map((x) => [x.kind, x.severity, x.evidence])).toEqual([
      ['sender-reputation', 'high', [{ session: 1, exchanges: [3] }]],
      ['sender-authentication', 'high', [{ session: 2, exchanges: [3] }]],
      ['sender-authentication', 'high', [{ session: 3, exchanges: [3] }]],
    ]);
    expect(f[0]!.why).toMatch(/^the client's address is on a blocklist: 554 5\.7\.1 to RCPT: .*blocked using zen\.spamhaus\.org/);
    expect(f[1]!.why).toMatch(/^the sender domain's SPF check failed: 550 5\.7\.23 to RCPT: /);
    expect(f[2]!.why).toMatch(/^the sender domain's DMARC policy rejected the message: 550 5\.7\.1 to RCPT: /);
  });

  it('smtp-greylisted.pcap: greylisting is info (a correct client retries), and the rejections of other captures are none of these', async () => {
    const grey = await analyse(['captures/smtp-greylisted.pcap']);
    expect(grey.all.filter((x) => x.kind === 'greylisted').map((x) => [x.severity, x.evidence])).toEqual([['info', [{ session: 1, exchanges: [3] }]]]);
    // An unknown user, a relay refusal or a message too big is about the recipient or the message, not the sender.
    const other = await analyse(['captures/smtp-unknown-user.pcap', 'captures/smtp-relay-denied.pcap', 'captures/smtp-too-big.pcap']);
    expect(kinds(other.all).filter((k) => ['sender-reputation', 'sender-authentication', 'greylisted'].includes(k))).toEqual([]);
  });

  it('providers\' own refusals: Yahoo 554 5.7.9 is sender authentication, Microsoft 5.7.708 and Yahoo TSS04 sender reputation (hand-made)', async () => {
    const refused = (reply: string) => conversation([
      ['S', '220 mx.example.com ESMTP\r\n'], ['C', 'EHLO c\r\n'], ['S', '250 mx.example.com\r\n'],
      ['C', 'MAIL FROM:<a@example.com>\r\n'], ['S', reply], ['C', 'QUIT\r\n'], ['S', '221 bye\r\n'],
    ]);
    // One capture each: the hand-made conversations share their addresses, ports and times.
    const found: string[][] = [];
    for (const reply of [
      '554 5.7.9 Message not accepted for policy reasons.  See https://senders.yahooinc.com/error-codes\r\n',
      '550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.\r\n',
      '421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints\r\n',
    ]) {
      const a = await analyse([refused(reply)]);
      found.push(...a.all.filter((x) => x.kind === 'sender-reputation' || x.kind === 'sender-authentication').map((x) => [x.kind, x.severity]));
    }
    expect(found).toEqual([['sender-authentication', 'high'], ['sender-reputation', 'high'], ['sender-reputation', 'medium']]);
  });

  it('a temporary refusal is medium, and several in one session make one finding with a count (hand-made)', async () => {
    const file = conversation([
      ['S', '220 mx.example.com ESMTP\r\n'], ['C', 'HELO c.example.org\r\n'], ['S', '250 mx.example.com\r\n'],
      ['C', 'MAIL FROM:<a@x.test>\r\n'], ['S', '450 4.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.7]\r\n'],
      ['C', 'MAIL FROM:<a@x.test>\r\n'], ['S', '451 4.7.1 Service unavailable; Client host [192.0.2.7] blocked using bl.spamcop.net\r\n'],
      ['C', 'QUIT\r\n'], ['S', '221 2.0.0 Bye\r\n'],
    ]);
    const a = await analyse([file]);
    const f = a.all.filter((x) => x.kind === 'sender-reputation');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'medium', count: 2, evidence: [{ session: 1, exchanges: [2, 3] }] });
    expect(f[0]!.why).toMatch(/^the client's address has no valid reverse DNS: 450 4\.7\.1 to MAIL: /);
  });
});

describe('slow-reply', () => {
  it('smtp-slow-reply.pcap (Postfix "sleep 3" before RCPT): RCPT took 3 s against a median of milliseconds', async () => {
    const a = await analyse(['captures/smtp-slow-reply.pcap']);
    const f = a.all.filter((x) => x.kind === 'slow-reply');
    expect(f).toHaveLength(1);
    expect(f[0].why).toMatch(/^the server took 3\.0 s to answer RCPT \(the session's median [\d.]+ ms; slow means > 10x the median and > 1 s\)$/);
    expect(f[0].evidence).toEqual([{ session: 1, exchanges: [3] }]);
  });

  it('failed logins are not slow replies, though servers delay them (smtp-password-guessing.pcap has 1-15 s delays)', async () => {
    const a = await analyse(['captures/smtp-password-guessing.pcap']);
    expect(a.all.some((x) => x.kind === 'slow-reply')).toBe(false);
  });

  it('against the server\'s median: a slow greeting in one short session, judged by the other sessions to that server', async () => {
    const { sessions } = await analyse(['captures/smtp-delivery.pcap']);
    const slow = structuredClone(sessions[0]);
    slow.id = 4;
    slow.exchanges = slow.exchanges.slice(0, 2);
    slow.exchanges[1].reply!.ts = '2026-11-25T12:40:00.000000Z';
    slow.exchanges[1].command!.ts = '2026-11-25T12:39:55.000000Z';
    expect(sessionFindings(slow).some((f) => f.kind === 'slow-reply')).toBe(false); // 2 latencies: too few for its own median
    const acc = new FindingsAccumulator();
    for (const s of [...sessions, slow]) acc.add(s);
    const [f] = acc.finish();
    expect(f.kind).toBe('slow-reply');
    expect(f.scope).toBe('capture');
    expect(f.why).toMatch(/^the server took 5\.0 s to answer EHLO \(the median of server 127\.0\.0\.1:25 is [\d.]+ ms over 20 replies/);
  });
});

describe('tcp-trouble', () => {
  it('damaged/dropped-segment.pcap: a gap (bytes missing) is reported first, medium', async () => {
    const a = await analyse(['captures/damaged/dropped-segment.pcap']);
    const [first] = a.own.get(1)!.filter((f) => f.severity === 'medium');
    expect(first.kind).toBe('tcp-trouble');
    expect(first.why).toMatch(/^TCP trouble, rule it out first: 1 gap \(\d+ bytes missing\)/);
  });

  it('zeek smtp.pcap: retransmissions or reordering are low', async () => {
    const a = await analyse([`${ZEEK}/smtp.pcap`]);
    const f = a.all.filter((x) => x.kind === 'tcp-trouble');
    for (const x of f) expect(['low', 'medium']).toContain(x.severity);
  });
});

describe('hostile text in findings', () => {
  it('escapes control bytes (C0 and C1) and bidi overrides from the wire in every why', async () => {
    const file = conversation([
      ['S', '* OK ready\r\n'], ['C', 'a1 LOGIN "\x1b[31mroot\u202e" secret\r\n'], ['S', 'a1 NO [AUTH\x1b[2J\u009bFAILED] nope\r\n'],
      ['C', 'a2 LOGOUT\r\n'], ['S', '* BYE\r\na2 OK bye\r\n'],
    ], 143);
    const a = await analyse([file]);
    expect(a.all.length).toBeGreaterThan(0);
    for (const f of a.all) expect(f.why).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
    expect(a.all.find((f) => f.kind === 'failed-login')!.why).toContain('NO [AUTH\\x1b[2J');
  });
});
