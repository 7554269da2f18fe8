/** To / Cc headers split into addresses, each as written. */
import { describe, expect, it } from 'vitest';
import { splitAddressList } from '../../src/protocols/address-list.js';

describe('splitAddressList', () => {
  it('splits at top-level commas only', () => {
    expect(splitAddressList('bob@example.net')).toEqual(['bob@example.net']);
    expect(splitAddressList(' a@x.test ,b@y.test,  ')).toEqual(['a@x.test', 'b@y.test']);
    expect(splitAddressList('"Doe, John" <john@x.test>, Jane <jane@y.test>')).toEqual(['"Doe, John" <john@x.test>', 'Jane <jane@y.test>']);
    expect(splitAddressList('<odd,but@x.test>, c@z.test (Carl, the admin)')).toEqual(['<odd,but@x.test>', 'c@z.test (Carl, the admin)']);
    expect(splitAddressList('"a \\" quote, inside" <q@x.test>')).toEqual(['"a \\" quote, inside" <q@x.test>']);
  });

  it('gives a group\'s members, and nothing for an empty group', () => {
    expect(splitAddressList('team: a@x.test, b@x.test;, c@y.test')).toEqual(['a@x.test', 'b@x.test', 'c@y.test']);
    expect(splitAddressList('Undisclosed recipients:;')).toEqual([]);
  });

  it('keeps what it cannot read as written', () => {
    expect(splitAddressList('not an address')).toEqual(['not an address']);
    expect(splitAddressList('"unterminated, quote <x@y>')).toEqual(['"unterminated, quote <x@y>']);
    expect(splitAddressList('')).toEqual([]);
  });
});
