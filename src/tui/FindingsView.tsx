/** The findings view (f): every finding of the capture, most severe first; Enter opens the session it cites. */
import { Box } from 'ink';
import { Text } from './text.js';
import { evidenceText } from '../findings/format.js';
import type { Finding, Severity } from '../findings/index.js';
import { escapeString } from '../util/escape.js';
import { fitCells } from './cells.js';

export interface FindingsViewProps {
  findings: readonly Finding[];
  cursor: number;
  top: number;
  height: number;
  width: number;
  /** The load is still running: capture-level findings are not final. */
  loading: boolean;
}

const COLOR: Record<Severity, string | undefined> = { high: 'red', medium: 'yellow', low: 'cyan', info: undefined };

export function FindingsView({ findings, cursor, top, height, width, loading }: FindingsViewProps) {
  const counts = (['high', 'medium', 'low', 'info'] as const).map((s) => [s, findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  const title = `${findings.length} finding${findings.length === 1 ? '' : 's'}${counts.length ? ` (${counts.map(([s, n]) => `${n} ${s}`).join(', ')})` : ''}` +
    (loading ? ' — still reading: password guessing and server-wide slow replies come at the end' : '');
  const shown = findings.slice(top, top + height - 1);
  // The evidence column is as wide as its longest shown entry (at least 16, at most 32 cells), then one space.
  const evidence = shown.map((f) => evidenceText(f.evidence));
  const evidenceWidth = Math.min(32, Math.max(16, ...evidence.map((e) => e.length)));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">{title}</Text>
      {findings.length === 0 ? <Text dimColor>{loading ? 'reading…' : 'no findings in this capture'}</Text> : null}
      {shown.map((f, i) => {
        const at = top + i;
        const selected = at === cursor;
        return (
          <Text key={at} wrap="truncate" inverse={selected}>
            <Text color={COLOR[f.severity]} bold={f.severity === 'high'}>{f.severity.toUpperCase().padEnd(7)}</Text>
            {f.kind.padEnd(23)}{fitCells(evidence[i]!, evidenceWidth)} {escapeString(f.why)}
          </Text>
        );
      })}
    </Box>
  );
}
