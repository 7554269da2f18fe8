/** `mailscope messages FILE... [--filter EXPR] [--format text|ndjson]`: one line (or JSON object) per message. */
import { Output } from '../export/output.js';
import { formatMessageLine, messageRecord, selectedMessages } from '../export/message-list.js';
import { compileOrReport } from './filter-option.js';
import { eachSession, type SessionArgs } from './read-command.js';
import { jsonText } from '../export/json-line.js';

export interface MessagesArgs extends SessionArgs {
  format: 'text' | 'ndjson';
}

export async function messagesCommand(args: MessagesArgs): Promise<number> {
  const filter = compileOrReport(args.filter, args.showSecrets);
  if (!filter) return 1;
  const out = new Output(process.stdout);
  let count = 0;
  const code = await eachSession(args, (s) => {
    for (const i of selectedMessages(s, filter)) {
      const r = messageRecord(s, i);
      out.write((args.format === 'ndjson' ? jsonText(r) : formatMessageLine(r)) + '\n');
      count++;
    }
  });
  if (args.format === 'text') out.write(`${count} message${count === 1 ? '' : 's'}\n`);
  await out.end();
  return code;
}
