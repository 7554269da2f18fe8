/** Error messages, word for word, with the position and length of the part they point at. */
import { describe, expect, it } from 'vitest';
import { FilterError, checkFilter, compileFilter } from '../../src/filter/index.js';
import { closestNames, editDistance } from '../../src/filter/errors.js';
import { FIELD_NAMES } from '../../src/filter/fields.js';

const ERRORS: Array<[string, number, number, string]> = [
  ["smtp.respons.code == 250", 0, 17, "\"smtp.respons.code\" is not a valid field (did you mean smtp.response.code?)"],
  ["smtp.response.code contains \"x\"", 19, 8, "\"contains\" cannot compare smtp.response.code (a number) with a string"],
  ["ip.addr > \"a\"", 10, 3, "\">\" cannot compare ip.addr (an IPv4 address) with a string"],
  ["smtp.response.code ==", 21, 1, "unexpected end of the filter: expected a value after \"==\""],
  ["smtp.response.code = 250", 19, 1, "unexpected \"=\": did you mean \"==\"?"],
  ["smtp.response.code == \"250\"", 22, 5, "\"==\" cannot compare smtp.response.code (a number) with a string"],
  ["auth.user == alice ||", 21, 1, "unexpected end of the filter: expected a test after \"||\""],
  ["(smtp", 5, 1, "unexpected end of the filter: expected \")\" to close the \"(\" at column 1"],
  ["smtp)", 4, 1, "unexpected \")\": there is no \"(\" to close"],
  ["smtp.req.command == \"MAIL", 20, 1, "this string is not closed: a closing \" is missing"],
  ["smtp.rsp.parameter matches \"\\d\"", 28, 2, "\"\\d\" is not a valid escape (use \\\\ for a backslash)"],
  ["smtp.rsp.parameter matches \"x(\"", 27, 4, "invalid regular expression: Unterminated group"],
  ["smtp.rsp.parameter matches \"a(?s)b\"", 27, 8, "inline flags such as \"(?s)\" are supported only at the start of the expression"],
  ["foo(smtp.req.command)", 0, 3, "\"foo\" is not a function (the functions are len, count, lower, upper, string, max, min and abs)"],
  ["len(smtp.response.code) > 1", 4, 18, "len() takes a string; smtp.response.code is a number"],
  ["smtp == 1", 0, 4, "smtp is a protocol: it can only be tested for presence (\"smtp\" or \"!smtp\")"],
  ["auth.failed > 0", 12, 1, "\">\" cannot order auth.failed (a boolean): a boolean is only equal or not equal"],
  ["ip.addr == ::1", 11, 3, "\"==\" cannot compare ip.addr (an IPv4 address) with an IPv6 address"],
  ["ip.addr == hostname", 11, 8, "\"hostname\" is neither a field nor an IPv4 address"],
  ["smtp.response.code == abc", 22, 3, "\"abc\" is neither a field nor a number"],
  ["smtp.response.code in {500..400}", 23, 8, "the range 500..400 is empty: its start is above its end"],
  ["smtp.req.command in {\"A\"..\"B\"}", 21, 8, "a range (\"..\") needs numbers; smtp.req.command (a string) is not a number"],
  ["smtp.response.code in {}", 23, 1, "a set needs at least one value: {a b ...}"],
  ["250", 0, 3, "250 is a value, not a test: compare a field with it, e.g. smtp.response.code == 250"],
  ["\"MAIL\"", 0, 6, "\"MAIL\" is a value, not a test: compare a field with it, e.g. smtp.req.command == \"MAIL\""],
  ["smtp.response.code == smtp.req.command", 22, 16, "\"==\" cannot compare smtp.response.code (a number) with smtp.req.command (a string)"],
  ["smtp.response.code > 10.0.0.0/8", 21, 10, "\">\" cannot compare smtp.response.code (a number) with a network range"],
  ["ip.addr > 10.0.0.0/8", 10, 10, "\">\" cannot compare ip.addr (an IPv4 address) with a network range: use == or in"],
  ["smtp && && pop", 8, 2, "unexpected \"&&\": expected a test after \"&&\""],
  ["tls.vesion", 0, 10, "\"tls.vesion\" is not a valid field (did you mean tls.version?)"],
  ["auth.falied", 0, 11, "\"auth.falied\" is not a valid field (did you mean auth.failed?)"],
  ["smtp.response.code & 1", 19, 1, "unexpected \"&\": did you mean \"&&\"?"],
  ["smtp.response.code == 250 smtp", 26, 4, "unexpected \"smtp\": expected \"and\", \"or\" or the end of the filter"],
  ["len(smtp.req.command, 1)", 20, 1, "len() takes one argument"],
  ["smtp.response.code contains 25", 19, 8, "\"contains\" cannot compare smtp.response.code (a number) with a number"],
  ["Smtp.Req.Command == \"X\"", 0, 16, "\"Smtp.Req.Command\" is not a valid field (did you mean smtp.req.command?)"],
  ["xyzzy", 0, 5, "\"xyzzy\" is not a valid field (mailscope fields lists them)"],
  ["smtp.req.command matches 5", 25, 1, "\"matches\" needs a regular expression in double quotes, e.g. \"^5\\\\.7\\\\.\""],
  ["\"\\q\"", 1, 2, "\"\\q\" is not a valid escape (use \\\\ for a backslash)"],
];

describe('error messages', () => {
  for (const [expr, position, length, message] of ERRORS) {
    it(expr, () => {
      const err = checkFilter(expr);
      expect(err).toBeInstanceOf(FilterError);
      expect({ message: err!.message, position: err!.position, length: err!.length }).toEqual({ message, position, length });
    });
  }

  it('renders the expression, a caret line under the offending part, and the message', () => {
    const err = checkFilter('smtp.respons.code == 250')!;
    expect(err.render()).toBe(
      'smtp.respons.code == 250\n' +
      '^~~~~~~~~~~~~~~~~\n' +
      '"smtp.respons.code" is not a valid field (did you mean smtp.response.code?)',
    );
    expect(err.suggestions).toEqual(['smtp.response.code']);
  });

  it('puts the caret under a type error\'s operator', () => {
    expect(checkFilter('smtp.response.code contains "x"')!.render().split('\n')[1]).toBe('                   ^~~~~~~~');
  });

  it('points past the end for a missing value', () => {
    expect(checkFilter('smtp.response.code ==')!.render().split('\n')[1]).toBe('                     ^');
  });

  it('compileFilter throws the same error checkFilter returns', () => {
    expect(() => compileFilter('ip.addr > "a"')).toThrow('">" cannot compare ip.addr (an IPv4 address) with a string');
  });

  it('accepts every valid filter without error', () => {
    expect(checkFilter('')).toBeNull();
    expect(checkFilter('smtp.response.code >= 400')).toBeNull();
  });
});

describe('closest names', () => {
  it('Damerau-Levenshtein counts a transposition as one edit', () => {
    expect(editDistance('smtp.respnose.code', 'smtp.response.code')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
  it('offers the nearest names only', () => {
    expect(closestNames('smtp.response.cod', FIELD_NAMES)).toEqual(['smtp.response.code']);
    expect(closestNames('ip.adr', FIELD_NAMES)).toEqual(['ip.addr']);
    expect(closestNames('completely.different.thing', FIELD_NAMES)).toEqual([]);
  });
});
