/** Queue IDs as each MTA words its reply to the end of DATA, and the smtp.queue_id filter on real Postfix replies. */
import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../src/filter/index.js';
import { queueIdOf } from '../../src/protocols/smtp/queue-id.js';
import { defaultMachines } from '../../src/protocols/registry.js';
import { readSessions } from '../../src/session/read-sessions.js';

describe('queueIdOf', () => {
  it.each([
    ['2.0.0 Ok: queued as 4Xb1Zp3kq2z9wJ', '4Xb1Zp3kq2z9wJ'], // Postfix, long queue IDs
    ['2.0.0 Ok: queued as 2A1DF1622E3', '2A1DF1622E3'], // Postfix, short
    ['OK id=1tAbCd-000AbC-Xy', '1tAbCd-000AbC-Xy'], // Exim 4
    ['OK id=1tAbCd-000AbCdEfGh-XyZw', '1tAbCd-000AbCdEfGh-XyZw'], // Exim 4.97 longer IDs
    ['2.0.0 5B2AbCdE012345 Message accepted for delivery', '5B2AbCdE012345'], // Sendmail
    ['2.6.0 <1a2b@mail.example> [InternalId=1099511627776, Hostname=EX01.corp.example] Queued mail for delivery', '1099511627776'], // Exchange
    ['2.0.0 OK  1701000000 a1-20020a05600c000100b0040c1f0b1b1fsi123456wmo.1 - gsmtp', 'a1-20020a05600c000100b0040c1f0b1b1fsi123456wmo.1'], // Gmail
  ])('%s', (text, id) => {
    expect(queueIdOf(text)).toBe(id);
  });
  it('finds none in replies that name none', () => {
    for (const text of ['2.1.0 Ok', 'OK', '2.0.0 Message accepted', 'mx.example.com Hello']) expect(queueIdOf(text)).toBeNull();
  });
});

describe('smtp.queue_id', () => {
  it('selects the sessions whose message Postfix queued, by its ID', async () => {
    const { sessions } = await readSessions(['captures/demo.pcap'], { machines: defaultMachines });
    const ids = (expr: string) => sessions.filter((s) => compileFilter(expr).matches(s)).map((s) => s.id);
    const queued = ids('smtp.queue_id');
    expect(queued.length).toBeGreaterThan(0);
    expect(queued).toEqual(ids('smtp.rsp.parameter contains "queued as"'));
    expect(ids('smtp.queue_id == "2A1DF1622E3"')).toEqual([4]);
  });
});
