/**
 * Messages and attachments against tshark: `tshark --export-objects imf`
 * writes each message tshark saw as an .eml file; python3's email package
 * decodes their parts. Our attachments' SHA-256 must be among them, and our
 * message count per TCP stream must equal tshark's IMF count.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultMachines } from '../../src/protocols/registry.js';
import { isAttachment, type Session } from '../../src/session/model.js';
import { readSessions } from '../../src/session/read-sessions.js';

const hasTools = existsSync('/usr/bin/tshark') && existsSync('/usr/bin/python3');

/** Every leaf of every .eml decoded: SHA-256 of the decoded bytes; a message/* part counts as the raw .eml tshark also writes for it. */
const DECODE = `
import email, hashlib, os, sys, json
d = sys.argv[1]
out = []
for n in sorted(os.listdir(d)):
    raw = open(os.path.join(d, n), 'rb').read()
    out.append({'file': n, 'name': None, 'sha256': hashlib.sha256(raw).hexdigest()})
    m = email.message_from_bytes(raw)
    def leaves(p):
        if p.get_content_maintype() == 'multipart' and p.is_multipart():
            for q in p.get_payload(): leaves(q)
        elif p.get_content_maintype() != 'message':
            b = p.get_payload(decode=True) or b''
            out.append({'file': n, 'name': p.get_filename(), 'sha256': hashlib.sha256(b).hexdigest()})
    leaves(m)
print(json.dumps(out))
`;

function tsharkParts(file: string): { name: string | null; sha256: string }[] {
  const dir = mkdtempSync(join(tmpdir(), 'mailscope-imf-'));
  const t = spawnSync('tshark', ['-r', file, '--export-objects', `imf,${dir}`, '-q'], { encoding: 'utf8' });
  expect(t.status).toBe(0);
  const p = spawnSync('python3', ['-c', DECODE, dir], { encoding: 'utf8' });
  expect(p.status, p.stderr).toBe(0);
  return JSON.parse(p.stdout);
}

function tsharkCounts(file: string): Map<number, number> {
  const t = spawnSync('tshark', ['-r', file, '-Y', 'imf', '-T', 'fields', '-e', 'tcp.stream'], { encoding: 'utf8' });
  const counts = new Map<number, number>();
  for (const line of t.stdout.split('\n').filter(Boolean)) counts.set(Number(line), (counts.get(Number(line)) ?? 0) + 1);
  return counts;
}

async function sessions(file: string): Promise<Session[]> {
  const out: Session[] = [];
  await readSessions([file], { machines: defaultMachines, onSession: (s) => out.push(s) });
  return out;
}

const CASES = ['captures/smtp-medium-message.pcap', '../shared/captures/zeek/smtp-attachment-msg.pcap'];

describe.runIf(hasTools)('attachments against tshark --export-objects imf', () => {
  for (const file of CASES.filter(existsSync)) {
    it(`${file}: every attachment's SHA-256 is tshark's, and tshark's named parts are ours`, async () => {
      const theirs = tsharkParts(file);
      const ours = (await sessions(file)).flatMap((s) => s.messages.flatMap((m) => (m.parts ?? []).filter(isAttachment)));
      expect(ours.length).toBeGreaterThan(0);
      const hashes = new Set(theirs.map((p) => p.sha256));
      for (const a of ours) expect(hashes.has(a.sha256), `${a.name} ${a.sha256}`).toBe(true);
      for (const p of theirs.filter((q) => q.name !== null)) expect(ours.find((a) => a.name === p.name)?.sha256).toBe(p.sha256);
    });
  }

  for (const file of CASES.filter(existsSync)) {
    it(`${file}: mailscope extract writes attachments whose SHA-256 is tshark's`, () => {
      const hashes = new Set(tsharkParts(file).map((p) => p.sha256));
      const out = mkdtempSync(join(tmpdir(), 'mailscope-extract-imf-'));
      const r = spawnSync(process.execPath, ['bin/mailscope.js', 'extract', file, '--out', out], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const manifest = readFileSync(join(out, 'manifest.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { part: number | null; path: string; sha256: string });
      const attachments = manifest.filter((e) => e.part !== null);
      expect(attachments.length).toBeGreaterThan(0);
      for (const e of attachments) {
        const onDisk = createHash('sha256').update(readFileSync(join(out, e.path))).digest('hex');
        expect(onDisk).toBe(e.sha256);
        expect(hashes.has(onDisk), e.path).toBe(true);
      }
    });
  }

  const COUNTED = ['captures/smtp-medium-message.pcap', 'captures/smtp-large-message.pcap', '../shared/captures/zeek/smtp.pcap', '../shared/captures/zeek/smtp-attachment-msg.pcap'];
  for (const file of COUNTED.filter(existsSync)) {
    it(`${file}: messages per session equal tshark's IMF count per stream`, async () => {
      const counts = tsharkCounts(file);
      const ss = await sessions(file);
      expect(ss.length).toBeGreaterThan(0);
      for (const s of ss) expect(s.messages.length, `stream ${s.stream}`).toBe(counts.get(s.stream) ?? 0);
    });
  }
});
