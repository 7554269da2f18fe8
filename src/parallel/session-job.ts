/**
 * What `mailscope read` does with each finished session: findings (with
 * --local-domain), the display filter, and the output line. One function,
 * run by the single-threaded read and by every worker thread of a parallel
 * one, so both print the same bytes.
 */
import { ecsRecord } from '../export/ecs.js';
import { jsonText } from '../export/json-line.js';
import { formatSessionLine } from '../export/session-line.js';
import { compileFilter } from '../filter/index.js';
import { findingsHook } from '../findings/index.js';
import type { Session } from '../session/model.js';
import { sessionRecordJson } from '../export/session-record.js';
import { setDisplayZone } from '../util/display-zone.js';

export interface SessionJob {
  /** ecs: one Elastic Common Schema document per line (src/export/ecs.ts). */
  format: 'text' | 'ndjson' | 'json' | 'ecs';
  /** Columns of a text line. */
  width: number;
  /** The display filter ('' for all); already checked by the main thread. */
  filter: string;
  localDomain?: string[];
  /** --tz of the main thread: text lines show times in it. */
  tz?: string;
}

/** The session's output (without separators or newline), or null when the filter leaves it out. */
export function sessionFormatter(job: SessionJob): (s: Session) => string | null {
  if (job.tz) setDisplayZone(job.tz);
  // Secrets: the main thread already refused what could not match.
  const filter = compileFilter(job.filter, { secretsShown: true });
  const findings = findingsHook(job.localDomain);
  const format =
    job.format === 'text' ? (s: Session) => formatSessionLine(s, job.width)
    : job.format === 'ecs' ? (s: Session) => jsonText(ecsRecord(s))
    : (s: Session) => sessionRecordJson(s);
  return (s) => {
    findings?.(s);
    return filter.matches(s) ? format(s) : null;
  };
}
