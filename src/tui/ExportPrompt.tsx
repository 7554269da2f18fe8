/** The export dialog (e), drawn in the filter bar's two lines; its steps and keys are in export-dialog.ts. */
import { Box } from 'ink';
import { Text } from './text.js';
import type { ReactNode } from 'react';
import type { Session } from '../session/model.js';
import type { ExportStep } from './export-dialog.js';
import type { SessionSource } from './export-sessions.js';

export interface ExportPromptProps {
  step: ExportStep;
  selected: Session | undefined;
  filteredCount: number;
  width: number;
}

const what = (sessions: SessionSource) => (sessions.length === 1 ? `session ${sessions.get(0).id}` : `${sessions.length} sessions`);

export function ExportPrompt({ step, selected, filteredCount, width }: ExportPromptProps) {
  let first: ReactNode;
  let second: ReactNode = <Text dimColor>Esc cancels</Text>;
  switch (step.kind) {
    case 'scope':
      first = (
        <Text>
          Export {selected ? <><Text bold color="cyan">s</Text> the selected session {selected.id}, or </> : null}
          <Text bold color="cyan">a</Text> all {filteredCount} {filteredCount === 1 ? 'session' : 'sessions'} shown?
        </Text>
      );
      break;
    case 'format':
      first = (
        <Text>
          Export {what(step.sessions)} as <Text bold color="cyan">t</Text> text transcript{step.sessions.length === 1 ? '' : 's'} or{' '}
          <Text bold color="cyan">n</Text> NDJSON?
        </Text>
      );
      break;
    case 'path': {
      const { text, cursor } = step.line;
      first = (
        <Text>
          Write {what(step.sessions)} ({step.format === 'text' ? 'text' : 'NDJSON'}) to: {text.slice(0, cursor)}
          <Text inverse>{text[cursor] ?? ' '}</Text>
          {text.slice(cursor + 1)}
        </Text>
      );
      // Several sessions may go to a folder, one file each: say how, since a name without the "/" is a single file.
      const folderHint = step.sessions.length > 1 ? ' · a folder (ending in /) gets one file per session' : '';
      second = step.error ? <Text color="red">{step.error}</Text> : <Text dimColor>Enter writes{folderHint} · Ctrl-U clears · Esc cancels</Text>;
      break;
    }
    case 'overwrite':
      first = <Text color="yellow">{step.question}</Text>;
      break;
    case 'writing':
      first = <Text>writing {what(step.sessions)} to {step.line.text}…</Text>;
      break;
    case 'folder': {
      const { text, cursor } = step.line;
      first = (
        <Text>
          Extract the messages and attachments of {what(step.sessions)} to the folder: {text.slice(0, cursor)}
          <Text inverse>{text[cursor] ?? ' '}</Text>
          {text.slice(cursor + 1)}
        </Text>
      );
      second = step.error ? <Text color="red">{step.error}</Text> : <Text dimColor>Enter extracts · Ctrl-U clears · Esc cancels</Text>;
      break;
    }
    case 'extracting':
      first = <Text>extracting the messages of {what(step.sessions)} to {step.line.text}…</Text>;
      break;
  }
  return (
    <Box flexDirection="column" width={width} height={2}>
      <Text wrap="truncate">{first}</Text>
      <Text wrap="truncate">{second}</Text>
    </Box>
  );
}
