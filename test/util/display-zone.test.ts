/** --tz: times shown in UTC, a fixed offset or a named zone (daylight saving time included), and filter times read in it. */
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { clockTime, dateTime, inZone, parseZone, setDisplayZone } from '../../src/util/display-zone.js';

afterEach(() => setDisplayZone('UTC'));

describe('display zone', () => {
  it('reads UTC, local, offsets and zone names, and refuses the rest with what is accepted', () => {
    expect(parseZone('UTC')).toEqual({ kind: 'utc' });
    expect(parseZone('local')).toEqual({ kind: 'local' });
    expect(parseZone('+05:30')).toEqual({ kind: 'fixed', minutes: 330 });
    expect(parseZone('-0800')).toEqual({ kind: 'fixed', minutes: -480 });
    expect(parseZone('Europe/Berlin')).toMatchObject({ kind: 'iana', name: 'Europe/Berlin' });
    expect(() => parseZone('Mars/Olympus')).toThrow(/expected UTC, local, an offset/);
    expect(() => parseZone('+15:00')).toThrow(/-14:00 to \+14:00/);
  });

  it('shifts a timestamp, keeping its fraction, with the offset in force on that day', () => {
    setDisplayZone('Europe/Berlin');
    expect(inZone('2026-11-25T12:37:20.123456Z')).toEqual({ text: '2026-11-25T13:37:20.123456', zone: '+01:00' });
    expect(inZone('2026-07-01T12:00:00.000001Z')).toEqual({ text: '2026-07-01T14:00:00.000001', zone: '+02:00' });
    expect(clockTime('2026-11-25T23:30:00.000000Z')).toBe('00:30:00');
    expect(dateTime('2026-11-25T23:30:00.000000Z')).toBe('2026-11-26 00:30:00 +01:00');
    setDisplayZone('UTC');
    expect(dateTime('2026-11-25T23:30:00.000000Z')).toBe('2026-11-25 23:30:00 UTC');
  });
});

describe('--tz on the command line', () => {
  const mailscope = (...args: string[]) => spawnSync(process.execPath, ['bin/mailscope.js', ...args], { encoding: 'utf8' });

  it('read shows the zone\'s times, and a filter time without a zone is read in it; JSON stays UTC', () => {
    const utc = mailscope('read', 'captures/demo.pcap').stdout.split('\n')[0];
    const berlin = mailscope('read', 'captures/demo.pcap', '--tz', 'Europe/Berlin').stdout.split('\n')[0];
    expect(utc).toMatch(/^\s+1 12:37:13 SMTP/);
    expect(berlin).toMatch(/^\s+1 13:37:13 SMTP/);
    const late = (tz: string, time: string) => mailscope('read', 'captures/demo.pcap', '--tz', tz, '-Y', `session.start >= "${time}"`).stdout.trim().split('\n').length;
    expect(late('Europe/Berlin', '2026-11-25 13:38:00')).toBe(late('UTC', '2026-11-25 12:38:00'));
    expect(late('Europe/Berlin', '2026-11-25 13:38:00')).toBeGreaterThan(1);
    const json = JSON.parse(mailscope('read', 'captures/demo.pcap', '--tz', 'Europe/Berlin', '-f', 'ndjson').stdout.split('\n')[0]!) as { start: string };
    expect(json.start).toMatch(/^2026-11-25T12:37:13\.\d+Z$/);
  });

  it('takes an offset with a minus sign after --tz without an "="', () => {
    expect(mailscope('read', 'captures/demo.pcap', '--tz', '-05:00').stdout.split('\n')[0]).toMatch(/^\s+1 07:37:13 SMTP/);
  });

  it('follow and its stream list too', () => {
    expect(mailscope('follow', 'captures/smtp-auth-failure.pcap', '--tz', 'Europe/Berlin').stdout).toMatch(/2026-11-25T13:37:19\.\d+\+01:00/);
    expect(mailscope('follow', 'captures/smtp-auth-failure.pcap', '-s', '0', '--tz', 'Europe/Berlin').stdout).toMatch(/first packet frame 1, 2026-11-25T13:37:19\.\d+\+01:00/);
  });

  it('transcripts and statistics name the zone', () => {
    expect(mailscope('transcript', 'captures/smtp-auth-failure.pcap', '--tz=+05:30').stdout).toMatch(/2026-11-25T18:07:19\.147515 to 18:07:20\.150976 \+05:30/);
    expect(mailscope('stats', 'captures/demo.pcap', '--tz', 'Asia/Shanghai').stdout).toMatch(/from 2026-11-25 20:37:13 to 20:38:\d\d \+08:00/);
  });
});
