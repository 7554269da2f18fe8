/**
 * The NDJSON session object is a public contract: every session decoded from
 * every real capture must validate against schema/session.schema.json, and
 * what `mailscope read --format ndjson` prints must be exactly those objects.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { defaultMachines } from '../../src/protocols/registry.js';
import { readSessions } from '../../src/session/read-sessions.js';
import { corpusFiles } from '../helpers/corpus.js';

const schema = JSON.parse(readFileSync('schema/session.schema.json', 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

describe('session JSON schema', () => {
  for (const file of corpusFiles()) {
    it(`every session of ${file} validates`, async () => {
      const { sessions } = await readSessions([file], { machines: defaultMachines });
      for (const s of sessions) {
        const ok = validate(JSON.parse(JSON.stringify(s)));
        expect(ok, `session ${s.id}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
      }
    });
  }

  it('read --format ndjson prints one valid session per line, in id order', () => {
    const r = spawnSync(process.execPath, ['bin/mailscope.js', 'read', 'captures/demo.pcap', '--format', 'ndjson'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(15);
    const ids = lines.map((l) => {
      const s = JSON.parse(l);
      expect(validate(s), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      return s.id;
    });
    expect(ids).toEqual(ids.map((_, i) => i + 1));
  });

  it('the schema names every anomaly kind the model has (AnomalyKind in src/session/model.ts)', () => {
    const model = readFileSync('src/session/model.ts', 'utf8');
    const union = /export type AnomalyKind =([\s\S]*?)\nexport /.exec(model)![1];
    const kinds = [...union.matchAll(/\| '([a-z0-9_.]+)'/g)].map((m) => m[1]);
    expect(kinds).toContain('compress.limit');
    const described: string = schema.properties.anomalies.items.properties.kind.description;
    for (const k of kinds) expect(described, k).toMatch(new RegExp(`(^|[ :,])${k.replace('.', '\\.')}([ ,(]|$)`));
  });

  it('mailscope schema prints the schema', () => {
    const r = spawnSync(process.execPath, ['bin/mailscope.js', 'schema'], { encoding: 'utf8' });
    expect(JSON.parse(r.stdout)).toEqual(schema);
  });
});
