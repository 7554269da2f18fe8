/**
 * Wireshark 4's syntax beyond plain comparisons, on the sessions of real
 * captures: slices, functions, byte strings, frame.time's forms, the
 * presence rule of fields on every packet, protocol contains / matches,
 * verbs without regard to case, and secrets. Where a form has an
 * equivalent spelled another way, the two must select the same sessions
 * (and at least one), so that no expected list is written by hand.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FilterError, compileFilter } from '../../src/filter/index.js';
import { defaultMachines } from '../../src/protocols/registry.js';
import type { Session } from '../../src/session/model.js';
import { readSessions } from '../../src/session/read-sessions.js';
import { KeyLog } from '../../src/tls/keylog.js';

let demo: Session[];
let secretsShown: Session[];

const ids = (sessions: Session[], expr: string, shown = false) => sessions.filter((s) => compileFilter(expr, { secretsShown: shown }).matches(s)).map((s) => s.id);

beforeAll(async () => {
  const keylog = new KeyLog();
  keylog.add(readFileSync('captures/demo.keys', 'utf8'));
  demo = (await readSessions(['captures/demo.pcap'], { machines: defaultMachines, keylog })).sessions;
  secretsShown = (await readSessions(['captures/demo.pcap'], { machines: defaultMachines, keylog, showSecrets: true })).sessions;
});

const SAME: Array<[string, string]> = [
  // slices: [i:j] j from i, [i-j] i to j, [i] one, [:j], [i:], negative from the end, several ranges
  ['smtp.mail.from[0:5] == "alice"', 'smtp.mail.from matches "^alice"'],
  ['smtp.mail.from[1-3] == "lic"', 'smtp.mail.from matches "^.lic"'],
  ['smtp.mail.from[0] == "s"', 'smtp.mail.from matches "^s"'],
  ['smtp.mail.from[:6] == "sender"', 'smtp.mail.from matches "^sender"'],
  ['smtp.mail.from[-4:] == "test"', 'smtp.mail.from matches "test$"'],
  ['smtp.mail.from[0:1,6:1] == "s1"', 'smtp.mail.from matches "^s.....1"'],
  ['smtp.req.parameter[0:4] == 46:52:4f:4d', 'smtp.req.parameter matches "^FROM"'],
  // functions
  ['max(smtp.response.code) >= 500', 'smtp.response.code >= 500'],
  ['min(smtp.response.code) < 221', 'smtp.response.code < 221'],
  ['string(tcp.port) == "587"', 'tcp.port == 587'],
  ['abs(session.duration) > 0.5', 'session.duration > 0.5'],
  ['count(smtp.req.command) > 5', 'session.exchanges > 6 && smtp'],
  // frame.time in tshark's own form, ISO and with a zone
  ['frame.time >= "Nov 25, 2026 12:37:40"', 'session.end >= "2026-11-25 12:37:40"'],
  ['frame.time >= "Nov 25, 2026 12:37:40.5 UTC"', 'session.end >= "2026-11-25T12:37:40.5Z"'],
  ['frame.time <= "Nov 25, 2026 13:37:30 +01:00"', 'session.start <= "2026-11-25 12:37:30"'],
  // verbs without regard to case; the set syntax with commas
  ['smtp.req.command == "starttls"', 'smtp.req.command == "STARTTLS"'],
  ['pop.request.command in {"user", "Pass"}', 'pop.request.command in {"USER" "PASS"}'],
  // protocol text: the mail protocol's lines, decrypted ones included
  ['smtp contains "Relay access denied"', 'smtp.response contains "Relay access denied"'],
  ['imap matches "(?i)logged in"', 'imap.response matches "(?i)logged in"'],
  ['imf contains "Subject: "', 'imf.subject'],
  // fields on every TCP packet: bare, present in every session; == 1 asks for the flag
  ['tcp.flags.reset', 'tcp'],
  ['tcp.flags.syn == 0', 'tcp.flags.ack == 1'],
  ['tls.handshake.type == 1', 'tls.handshake.extensions_server_name || tls.handshake.type == 1'],
];

describe('Wireshark syntax on captures/demo.pcap', () => {
  it.each(SAME)('%s selects what %s selects', (a, b) => {
    const left = ids(demo, a);
    expect(left.length, `${a} selects something`).toBeGreaterThan(0);
    expect(left).toEqual(ids(demo, b));
  });

  it('frame and tcp.payload search only what travelled in clear; smtp also the decrypted lines', () => {
    // Session 11 authenticates after STARTTLS (decrypted with the key log): its AUTH is ciphertext on the wire.
    const afterTls = demo.filter((s) => s.tls?.decrypted && s.protocol === 'smtp').map((s) => s.id);
    expect(afterTls.length).toBeGreaterThan(0);
    const both = ids(demo, 'smtp contains "AUTH "');
    const clear = ids(demo, 'frame contains "AUTH "');
    expect(afterTls.some((id) => both.includes(id) && !clear.includes(id))).toBe(true);
    expect(ids(demo, 'tcp.payload contains "AUTH "')).toEqual(clear);
  });

  it('a slice past the end of a value has no value: the test is false, not an error', () => {
    expect(ids(demo, 'smtp.mail.from[500:2] == "ab"')).toEqual([]);
    expect(ids(demo, 'smtp.mail.from[500:2]')).toEqual([]);
  });

  it('tcp.flags.reset == 1 picks the sessions that saw a RST, a subset', () => {
    const rst = ids(demo, 'tcp.flags.reset == 1');
    expect(rst).toEqual(demo.filter((s) => s.tcp.resets > 0).map((s) => s.id));
    expect(rst.length).toBeLessThan(demo.length);
  });
});

describe('secrets', () => {
  it('a comparison of a secret field says why it cannot match while secrets are hidden', () => {
    for (const expr of ['smtp.auth.password == "x"', 'imap.request.password contains "a"', 'smtp.auth.username_password matches "."']) {
      expect(() => compileFilter(expr)).toThrow(FilterError);
      expect(() => compileFilter(expr)).toThrow(/hidden.*--show-secrets/);
    }
    // Presence says nothing secret and is allowed.
    expect(() => compileFilter('smtp.auth.password')).not.toThrow();
  });

  it('with --show-secrets, the passwords are there to compare', () => {
    const plain = ids(secretsShown, 'smtp.auth.password == "wonderland"', true);
    expect(plain.length).toBeGreaterThan(0);
    expect(plain).toEqual(ids(secretsShown, 'auth.mechanism == "PLAIN" && auth.result == "success"', true));
    expect(ids(secretsShown, 'imap.request.password contains "wonder"', true).length).toBeGreaterThan(0);
    // Hidden, the same sessions show "<redacted>", never the password.
    expect(ids(demo, 'frame contains "wonderland"')).toEqual([]);
  });
});
