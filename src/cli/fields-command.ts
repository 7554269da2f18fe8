/**
 * `mailscope fields [--format text|json]`: the display-filter fields, their
 * types and meanings, and for Wireshark's fields where a session-wide
 * reading differs from tshark's per-packet one.
 */
import { listFields } from '../filter/index.js';
import { EXIT } from './report.js';
import { jsonText } from '../export/json-line.js';

export function fieldsCommand(format: 'text' | 'json'): number {
  const fields = listFields();
  if (format === 'json') {
    process.stdout.write(jsonText(fields, 2) + '\n');
    return EXIT.ok;
  }
  const nameWidth = Math.max(...fields.map((f) => f.name.length));
  const typeWidth = Math.max(...fields.map((f) => f.type.length));
  const indent = ' '.repeat(nameWidth + typeWidth + 7);
  const lines = fields.map((f) => {
    let line = `${f.name.padEnd(nameWidth)}  ${f.type.padEnd(typeWidth)}  ${f.wireshark ? 'W' : ' '}  ${f.description}`;
    if (f.secret) line += `\n${indent}secret: "<redacted>" unless --show-secrets is given; compare it only then`;
    if (f.differs) line += `\n${indent}vs Wireshark: ${f.differs}`;
    return line;
  });
  process.stdout.write(
    `${'field'.padEnd(nameWidth)}  ${'type'.padEnd(typeWidth)}  W  meaning (W: Wireshark has this field, same name and meaning; ` +
      '"vs Wireshark": where reading a whole session differs from tshark reading one packet)\n' +
      lines.join('\n') + '\n',
  );
  return EXIT.ok;
}
