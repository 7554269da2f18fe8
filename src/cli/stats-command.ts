/** `mailscope stats FILE... [--filter EXPR] [--format text|json] [--lang en|zh]`: the capture at a glance (src/export/stats.ts). */
import type { Lang } from '../explain/index.js';
import { Output } from '../export/output.js';
import { StatsAccumulator } from '../export/stats.js';
import { formatStatsText } from '../export/stats-text.js';
import { compileOrReport } from './filter-option.js';
import { eachSession, type SessionArgs } from './read-command.js';
import { jsonText } from '../export/json-line.js';

export interface StatsArgs extends SessionArgs {
  format: 'text' | 'json';
  /** Language of the meanings of the failing replies. */
  lang?: Lang;
}

export async function statsCommand(args: StatsArgs): Promise<number> {
  const filter = compileOrReport(args.filter, args.showSecrets);
  if (!filter) return 1;
  const stats = new StatsAccumulator(args.lang);
  const code = await eachSession(args, (s) => {
    if (filter.matches(s)) stats.add(s);
  });
  const out = new Output(process.stdout);
  out.write(args.format === 'json' ? jsonText(stats.result(), 2) + '\n' : formatStatsText(stats.result()));
  await out.end();
  return code;
}
