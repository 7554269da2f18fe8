/** mailscope extract's caps, per file (--max-file-mb) and per run (--max-total-mb), with small limits on real captures. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FILE_MB, DEFAULT_MAX_TOTAL_MB, capBytes, type ManifestEntry } from '../../src/cli/extract-command.js';

const root = mkdtempSync(join(tmpdir(), 'mailscope-extract-limits-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const MIB = 1024 * 1024;
let runs = 0;

function extract(capture: string, ...flags: string[]) {
  const out = join(root, `run-${++runs}`);
  const r = spawnSync(process.execPath, ['bin/mailscope.js', 'extract', capture, '--out', out, ...flags], { encoding: 'utf8' });
  const manifestPath = join(out, 'manifest.ndjson');
  const manifest: ManifestEntry[] = existsSync(manifestPath) ? readFileSync(manifestPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [];
  const files = existsSync(out) ? readdirSync(out).filter((f) => f !== 'manifest.ndjson').sort() : [];
  return { out, code: r.status, stdout: r.stdout, stderr: r.stderr, manifest, files };
}

describe('mailscope extract caps', () => {
  it('defaults to 100 MiB per file and 1 GiB per run; 0 is no cap; a bad value is a usage error', () => {
    expect([DEFAULT_MAX_FILE_MB, DEFAULT_MAX_TOTAL_MB]).toEqual([100, 1024]);
    expect(capBytes(undefined, DEFAULT_MAX_FILE_MB)).toBe(100 * MIB);
    expect(capBytes(0, DEFAULT_MAX_FILE_MB)).toBe(Infinity);
    expect(capBytes(0.5, DEFAULT_MAX_FILE_MB)).toBe(MIB / 2);
    expect(capBytes(-1, DEFAULT_MAX_FILE_MB)).toBeNull();
    const whole = extract('captures/smtp-large-message.pcap');
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stderr).toBe('');
    expect(whole.manifest.map((e) => [e.path, e.size, e.truncated, e.skipped])).toEqual([['session-0001-msg-1.eml', 3040795, undefined, undefined]]);
    const unlimited = extract('captures/smtp-large-message.pcap', '--max-file-mb', '0', '--max-total-mb', '0');
    expect(unlimited.manifest[0].truncated).toBeUndefined();
    const bad = extract('captures/smtp-large-message.pcap', '--max-total-mb', '-5');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--max-total-mb take a number of MiB, 0 for no cap \(got -5\)/);
  });

  it('cuts a file at the per-file cap: the first bytes written, marked truncated in the manifest, reported on stderr', () => {
    const whole = extract('captures/smtp-large-message.pcap');
    const full = readFileSync(join(whole.out, 'session-0001-msg-1.eml'));
    const r = extract('captures/smtp-large-message.pcap', '--max-file-mb', '1');
    expect(r.code, r.stderr).toBe(0);
    const eml = readFileSync(join(r.out, 'session-0001-msg-1.eml'));
    expect(eml.length).toBe(MIB);
    expect(eml.equals(full.subarray(0, MIB))).toBe(true);
    expect(r.manifest).toEqual([{
      session: 1, message: 1, part: null, path: 'session-0001-msg-1.eml', size: 3040795, sha256: sha(full), contentType: 'message/rfc822', partial: false,
      truncated: true, written: MIB, why: 'the per-file cap of 1 MiB was reached (--max-file-mb raises it)',
    }]);
    expect(r.stderr).toBe(`mailscope: ${join(r.out, 'session-0001-msg-1.eml')} truncated at ${MIB} of 3040795 bytes: the per-file cap of 1 MiB was reached (--max-file-mb raises it)\n`);
    expect(r.stdout).toMatch(/^wrote 1 message and 0 attachments to .*; 1 file truncated\n$/);
  });

  it('stops at the per-run cap: whole files, then one cut, then the rest listed as skipped and not written', () => {
    const whole = extract('captures/demo.pcap');
    expect(whole.manifest.length).toBeGreaterThan(5);
    const cap = Math.floor(0.0008 * MIB); // 838 bytes: three messages of 275 bytes, 13 bytes of the fourth
    const r = extract('captures/demo.pcap', '--max-total-mb', '0.0008');
    expect(r.code, r.stderr).toBe(0);
    let used = 0;
    const expected = whole.manifest.map((e) => {
      const left = cap - used;
      used += Math.min(left, e.size);
      if (left >= e.size) return e;
      const why = `the per-run cap of ${cap} bytes was reached (--max-total-mb raises it)`;
      return left > 0 ? { ...e, truncated: true, written: left, why } : { ...e, path: null, skipped: true, why };
    });
    expect(r.manifest).toEqual(expected);
    const skipped = r.manifest.filter((e) => e.skipped);
    expect(skipped.length).toBe(whole.manifest.length - 4);
    // On disk: exactly the files the manifest names, holding the cap's worth of bytes in all.
    expect(r.files).toEqual(r.manifest.filter((e) => e.path !== null).map((e) => e.path).sort());
    expect(r.files.reduce((sum, f) => sum + statSync(join(r.out, f)).size, 0)).toBe(cap);
    for (const e of r.manifest.filter((x) => x.path !== null && !x.truncated)) expect(sha(readFileSync(join(r.out, e.path!)))).toBe(e.sha256);
    expect(r.stdout).toMatch(new RegExp(`; 1 file truncated; ${skipped.length} files skipped, not written: the per-run cap of ${cap} bytes was reached \\(--max-total-mb raises it\\)\\n$`));
    expect(r.stderr.trim().split('\n')).toEqual([
      `mailscope: ${join(r.out, 'session-0004-msg-1.eml')} truncated at 13 of 261 bytes: the per-run cap of ${cap} bytes was reached (--max-total-mb raises it)`,
      `mailscope: ${skipped.length} files not written, listed as skipped in ${join(r.out, 'manifest.ndjson')}: the per-run cap of ${cap} bytes was reached (--max-total-mb raises it)`,
    ]);
  });

  it('counts attachments in the run: one cut at the cap, or skipped (with what the capture carried) when nothing is left', () => {
    const whole = extract('captures/smtp-medium-message.pcap');
    const [msg, att] = whole.manifest;
    expect([msg.size, att.path, att.size]).toEqual([137503, 'data.bin', 100000]);
    const data = readFileSync(join(whole.out, 'data.bin'));

    const cut = extract('captures/smtp-medium-message.pcap', '--max-total-mb', '0.18'); // 188743 bytes: the .eml, then 51240 of the attachment
    expect(cut.manifest[0]).toEqual(msg);
    expect(cut.manifest[1]).toEqual({ ...att, truncated: true, written: 188743 - 137503, why: 'the per-run cap of 188743 bytes was reached (--max-total-mb raises it)' });
    expect(readFileSync(join(cut.out, 'data.bin')).equals(data.subarray(0, 188743 - 137503))).toBe(true);

    const none = extract('captures/smtp-medium-message.pcap', '--max-total-mb', '0.0005'); // 524 bytes: the .eml's header only
    expect(none.manifest[0]).toMatchObject({ path: 'session-0001-msg-1.eml', truncated: true, written: 524 });
    expect(none.manifest[1]).toEqual({ ...att, path: null, skipped: true, why: 'the per-run cap of 524 bytes was reached (--max-total-mb raises it)' });
    expect(none.files).toEqual(['session-0001-msg-1.eml']);
  });

  it('lists the attachments past the end of an .eml cut at the per-file cap as skipped', () => {
    const r = extract('captures/smtp-medium-message.pcap', '--max-file-mb', '0.0004'); // 419 bytes: before the attachment's part
    expect(r.manifest[0]).toMatchObject({ truncated: true, written: 419 });
    expect(r.manifest[1]).toMatchObject({
      part: 2, path: null, skipped: true, name: 'data.bin', size: 100000,
      why: "its message's .eml was truncated: the per-file cap of 419 bytes was reached (--max-file-mb raises it)",
    });
    expect(r.stdout).toMatch(/1 file skipped, not written: 1 attachment past the end of a truncated \.eml\n$/);
  });
});
