/**
 * The list's rows keep repeating texts as codes and a client as its address
 * and port: what the list shows and how it sorts must be what the texts
 * themselves give.
 */
import { describe, expect, it } from 'vitest';
import { RowTable, compareDecimalText } from '../../src/tui/row-table.js';
import type { ListRow } from '../../src/tui/list-row.js';

function row(id: number, client: string, extra: Partial<ListRow> = {}): ListRow {
  return {
    id, start: '2026-11-25T12:37:13.121665Z', protocol: 'smtp', client, server: '127.0.0.1:25', user: '', outcome: 'OK',
    severity: 'ok', tls: false, open: false, exchanges: 6, bytes: 713, anomalies: 0, ...extra,
  };
}

/** The order the old list gave: the texts compared, an empty one last. */
function textOrder(x: string, y: string): number {
  if (x === '' || y === '') return x === y ? 0 : x === '' ? 1 : -1;
  return x < y ? -1 : x > y ? 1 : 0;
}

const CLIENTS = [
  '127.0.0.1:40490', '127.0.0.1:5000', '127.0.0.1:500', '127.0.0.1:0', '127.0.0.12:1', '127.0.0.1', '127.0.0.1:40490',
  '10.0.0.1:25', '10.0.0.10:25', '[::1]:50192', '[::1]:5019', '[::1]', '[fe80::1]:2', '[fe80::1:2]:1', 'fe80::1:2',
  'fe80::1', 'host:08', 'host:8', '', 'a\\x1b[31m:1', '192.168.1.1:65535', '192.168.1.1:9',
];

describe('RowTable', () => {
  const table = new RowTable();
  CLIENTS.forEach((c, i) => table.setRow(i, row(i + 1, c, { user: i % 3 === 0 ? 'alice' : '', server: i % 2 ? '[::1]:25' : '127.0.0.1:25' })));

  it('gives back every client, server and user text as set', () => {
    CLIENTS.forEach((c, i) => {
      expect(table.text(i, 'client')).toBe(c);
      expect(table.cells(i).client).toBe(c);
      expect(table.text(i, 'server')).toBe(i % 2 ? '[::1]:25' : '127.0.0.1:25');
      expect(table.text(i, 'user')).toBe(i % 3 === 0 ? 'alice' : '');
      expect(table.cells(i)).toMatchObject({ proto: 'SMTP', time: '12:37:13', outcome: 'OK', ex: '6', bytes: '713 B' });
    });
  });

  it('escapes a client text from outside, as it escapes every text', () => {
    const t = new RowTable();
    t.setRow(0, row(1, '10.0.0.1\u001b[2J:25'));
    expect(t.text(0, 'client')).toBe('10.0.0.1\\x1b[2J:25');
  });

  it('orders clients as their texts order, every pair', () => {
    for (let a = 0; a < CLIENTS.length; a++) {
      for (let b = 0; b < CLIENTS.length; b++) {
        expect(Math.sign(table.compareClient(a, b)), `${CLIENTS[a]} vs ${CLIENTS[b]}`).toBe(textOrder(CLIENTS[a], CLIENTS[b]));
      }
    }
  });
});

describe('compareDecimalText', () => {
  it('orders whole numbers as their decimal texts do', () => {
    const numbers = [0, 1, 9, 10, 11, 19, 99, 100, 101, 500, 5000, 40490, 4049, 65535, 65536, 7, 70, 700];
    for (let seed = 1; numbers.length < 400; seed = (seed * 48271) % 2147483647) numbers.push(seed % 70000);
    for (const x of numbers) {
      for (const y of numbers) {
        const want = String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
        expect(Math.sign(compareDecimalText(x, y)), `${x} vs ${y}`).toBe(want);
      }
    }
  });
});
