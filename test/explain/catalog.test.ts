/** Every catalog entry speaks every language, and the tables hold every registered code. */
import { describe, expect, it } from 'vitest';
import { ENHANCED_CLASSES, ENHANCED_DETAILS, ENHANCED_SUBJECTS, IMAP_CODES, LABELS, PATTERNS, POP3_CODES, SMTP_CODES, STATUSES } from '../../src/explain/catalog.js';
import { LANGS, type Entry } from '../../src/explain/types.js';

const TABLES: Record<string, Record<string, Entry>> = {
  SMTP_CODES, ENHANCED_CLASSES, ENHANCED_SUBJECTS, ENHANCED_DETAILS, POP3_CODES, IMAP_CODES, STATUSES,
  PATTERNS: Object.fromEntries(PATTERNS.map((p) => [p.id, p])),
};
const ALL = Object.entries(TABLES).flatMap(([table, entries]) => Object.entries(entries).map(([key, e]) => [`${table} ${key}`, e] as const));
const HAN = /[\u4e00-\u9fff]/;

describe('the catalog', () => {
  it.each(ALL)('%s has a meaning, cause and fix in every language', (_name, entry) => {
    for (const lang of LANGS) {
      const t = entry[lang];
      for (const field of ['meaning', 'cause', 'fix'] as const) expect(t[field].trim().length, `${lang}.${field}`).toBeGreaterThan(1);
    }
    for (const field of ['meaning', 'cause', 'fix'] as const) {
      expect(entry.zh[field], 'zh is written in Chinese').toMatch(HAN);
      expect(entry.zh[field]).not.toBe(entry.en[field]);
    }
  });

  it('has every SMTP basic code of RFC 5321, 4954 and 7504', () => {
    const codes = [211, 214, 220, 221, 235, 250, 251, 252, 334, 354, 421, 432, 450, 451, 452, 454, 455, 500, 501, 502, 503, 504, 521, 530, 534, 535, 538, 550, 551, 552, 553, 554, 555, 556];
    expect(Object.keys(SMTP_CODES).sort()).toEqual(codes.map(String).sort());
  });

  it('has every class, subject and registered detail of the enhanced status codes', () => {
    expect(Object.keys(ENHANCED_CLASSES)).toEqual(['2', '4', '5']);
    expect(Object.keys(ENHANCED_SUBJECTS)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    const details = ['0.0', ...range(1, 0, 10), ...range(2, 0, 4), ...range(3, 0, 6), ...range(4, 0, 7), ...range(5, 0, 6), ...range(6, 0, 10), ...range(7, 0, 30)];
    expect(Object.keys(ENHANCED_DETAILS).sort()).toEqual(details.sort());
    expect(ENHANCED_DETAILS['7.26'].en.meaning).toMatch(/multiple authentication checks failed/i);
    expect(ENHANCED_DETAILS['7.27'].en.meaning).toMatch(/null MX/i);
    expect(ENHANCED_DETAILS['7.30'].en.meaning).toMatch(/REQUIRETLS/);
  });

  it('has the POP3 codes of RFC 2449 and 3206 and the IMAP codes of RFC 5530 and 9051', () => {
    for (const c of ['IN-USE', 'LOGIN-DELAY', 'SYS/TEMP', 'SYS/PERM', 'AUTH']) expect(POP3_CODES).toHaveProperty([c]);
    for (const c of ['ALERT', 'AUTHENTICATIONFAILED', 'AUTHORIZATIONFAILED', 'UNAVAILABLE', 'EXPIRED', 'PRIVACYREQUIRED', 'CONTACTADMIN', 'NOPERM', 'INUSE',
      'EXPUNGEISSUED', 'CORRUPTION', 'SERVERBUG', 'CLIENTBUG', 'CANNOT', 'LIMIT', 'OVERQUOTA', 'ALREADYEXISTS', 'NONEXISTENT', 'TRYCREATE', 'BADCHARSET', 'PARSE',
      'READ-ONLY', 'READ-WRITE', 'UIDNOTSTICKY', 'HASCHILDREN', 'CLOSED', 'UNKNOWN-CTE']) expect(IMAP_CODES).toHaveProperty([c]);
  });

  it('has unique pattern ids and labels in every language', () => {
    expect(new Set(PATTERNS.map((p) => p.id)).size).toBe(PATTERNS.length);
    for (const lang of LANGS) for (const v of Object.values(LABELS[lang])) expect(v.length).toBeGreaterThan(0);
  });
});

function range(subject: number, from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => `${subject}.${from + i}`);
}
