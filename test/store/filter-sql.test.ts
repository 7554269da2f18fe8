/**
 * The SQL form of display filters, without a server: which parts translate
 * exactly, and that an untranslated part only ever widens the condition
 * (under `!` too), so the in-process check on the candidates is always
 * enough. What the SQL selects is tested against a real cluster in
 * store.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { FilterError } from '../../src/filter/index.js';
import { filterToSql } from '../../src/store/filter-sql.js';

describe('display filters as SQL', () => {
  it('translates comparisons, sets, presence and flags exactly, with Wireshark 4\'s meaning of each operator', () => {
    expect(filterToSql('smtp.response.code >= 400')).toEqual({ where: 'arrayExists(x -> x >= 400, `f_smtp__response__code`)', exact: true, untranslated: [] });
    expect(filterToSql('smtp.response.code != 250').where).toBe('(notEmpty(`f_smtp__response__code`) AND NOT arrayExists(x -> x = 250, `f_smtp__response__code`))');
    expect(filterToSql('smtp.response.code === 250').where).toBe('(notEmpty(`f_smtp__response__code`) AND arrayAll(x -> x = 250, `f_smtp__response__code`))');
    expect(filterToSql('smtp.response.code in {450..452 421}').where).toBe('arrayExists(x -> (x >= 450 AND x <= 452) OR x = 421, `f_smtp__response__code`)');
    expect(filterToSql('auth.failed').where).toBe('has(`f_auth__failed`, 1)');
    expect(filterToSql('tls && !imf')).toMatchObject({ where: '(notEmpty(`f_tls`) AND NOT notEmpty(`f_imf`))', exact: true });
    expect(filterToSql('count(smtp.rcpt.to) > 50')).toMatchObject({ where: 'length(`f_smtp__rcpt__to`) > 50', exact: true });
  });

  it('compares command verbs in lower case, as stored, and addresses as stored text', () => {
    expect(filterToSql('smtp.req.command == "Helo"').where).toBe("arrayExists(x -> x = 'helo', `f_smtp__req__command`)");
    expect(filterToSql('ip.addr == 10.0.0.0/8').where).toBe("arrayExists(x -> (x >= '4:0a000000' AND x <= '4:0affffff'), `f_ip__addr`)");
    // Ordering addresses only within a family: "4:..." would sort before every "6:...".
    expect(filterToSql('client.ip > 192.0.2.1').where).toBe("arrayExists(x -> (substring(x, 1, 2) = '4:' AND x > '4:c0000201'), `f_client__ip`)");
  });

  it('quotes what the user wrote: a quote or a backslash in a string cannot end the literal', () => {
    expect(filterToSql('imf.subject == "it\'s \\\\ done"').where).toBe("arrayExists(x -> x = 'it\\'s \\\\ done', `f_imf__subject`)");
  });

  it('an untranslated part widens, never narrows: alone it is TRUE, under ! too, and it is named', () => {
    const regex = filterToSql('smtp.req.parameter matches "^FROM"');
    expect(regex).toEqual({ where: '1', exact: false, untranslated: ['smtp.req.parameter matches (a JavaScript regular expression)'] });
    expect(filterToSql('!(smtp.req.parameter matches "^FROM")')).toMatchObject({ where: '1', exact: false });
    // With an exact part beside it, the exact part still narrows.
    expect(filterToSql('auth.failed && len(auth.user) > 3')).toMatchObject({ where: '(has(`f_auth__failed`, 1) AND 1)', exact: false, untranslated: ['len(auth.user)'] });
    // Under ! a partly translated and-expression cannot be negated: TRUE.
    expect(filterToSql('!(auth.failed && len(auth.user) > 3)')).toMatchObject({ where: '1', exact: false });
    expect(filterToSql('smtp.req.parameter > "M"')).toMatchObject({ where: '1', exact: false, untranslated: ['smtp.req.parameter > (text order)'] });
    expect(filterToSql('smtp contains "Relay"')).toMatchObject({ exact: false });
  });

  it('a secret field is not stored: its comparison runs in process (with --show-secrets)', () => {
    expect(filterToSql('smtp.auth.password == "x"', { secretsShown: true })).toMatchObject({ where: '1', exact: false, untranslated: ['smtp.auth.password (a secret: not stored)'] });
  });

  it('an empty filter is everything, exactly; a bad one is the same FilterError as everywhere', () => {
    expect(filterToSql('  ')).toEqual({ where: '1', exact: true, untranslated: [] });
    expect(() => filterToSql('smtp.response.code >=< 4')).toThrow(FilterError);
  });
});
