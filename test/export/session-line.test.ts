/** The one-line session summary: cut to a terminal's width without breaking an escape, wire text escaped, TAB included. */
import { beforeAll, describe, expect, it } from 'vitest';
import { formatSessionLine } from '../../src/export/session-line.js';
import { defaultMachines } from '../../src/protocols/registry.js';
import type { Session } from '../../src/session/model.js';
import { readSessions } from '../../src/session/read-sessions.js';
import { escapeShort, escapeString } from '../../src/util/escape.js';

let sessions: Session[];
beforeAll(async () => {
  sessions = (await readSessions(['captures/demo.pcap'], { machines: defaultMachines })).sessions;
});

describe('formatSessionLine', () => {
  it('fits the width it is given, with "…" where the outcome was cut', () => {
    for (const s of sessions) {
      for (const width of [80, 100]) expect(formatSessionLine(s, width).length).toBeLessThanOrEqual(width);
    }
    const whole = sessions.map((s) => formatSessionLine(s, Number.MAX_SAFE_INTEGER));
    expect(whole.some((l) => l.length > 80)).toBe(true);
    expect(whole.join('\n')).not.toContain('…');
  });
});

describe('escaping for one line', () => {
  it('shows a TAB as \\t and never cuts inside an escape', () => {
    expect(escapeString('a\tb\u009b')).toBe('a\\tb\\x9b');
    const junk = '\x01\x02\x03\x04\x05\x06\x07\x08';
    for (let max = 2; max <= 34; max++) {
      const cut = escapeShort(junk, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      // Whole escapes only: what is left before the "…" is a run of \xHH.
      expect(cut.replace(/…$/, '')).toMatch(/^(\\x[0-9a-f]{2})*$/);
    }
    expect(escapeShort('short', 10)).toBe('short');
  });
});
