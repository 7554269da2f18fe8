/** `mailscope fields [--format text|json]`: the display-filter fields, their types and meanings. */
import { listFields } from '../filter/index.js';
import { EXIT } from './report.js';

export function fieldsCommand(format: 'text' | 'json'): number {
  const fields = listFields();
  if (format === 'json') {
    process.stdout.write(JSON.stringify(fields, null, 2) + '\n');
    return EXIT.ok;
  }
  const nameWidth = Math.max(...fields.map((f) => f.name.length));
  const typeWidth = Math.max(...fields.map((f) => f.type.length));
  const lines = fields.map((f) => `${f.name.padEnd(nameWidth)}  ${f.type.padEnd(typeWidth)}  ${f.wireshark ? 'W' : ' '}  ${f.description}`);
  process.stdout.write(
    `${'field'.padEnd(nameWidth)}  ${'type'.padEnd(typeWidth)}  W  meaning (W: Wireshark has this field, same name and meaning)\n` +
      lines.join('\n') + '\n',
  );
  return EXIT.ok;
}
