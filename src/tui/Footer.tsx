/** The bottom line: the main keys of the current screen, or a notice (what an export wrote) until the next key. */
import { Box, Text } from 'ink';
import { FOOTER } from './keymap.js';

/** The screens of the UI; the export dialog's footer reads `extract` while it asks for a folder. */
export type Screen = Exclude<keyof typeof FOOTER, 'extract'>;

export interface FooterProps {
  screen: keyof typeof FOOTER;
  width: number;
  notice?: { text: string; error?: boolean };
}

export function Footer({ screen, width, notice }: FooterProps) {
  if (notice) {
    return (
      <Box width={width}>
        <Text wrap="truncate" color={notice.error ? 'red' : 'green'}>{notice.text}</Text>
      </Box>
    );
  }
  return (
    <Box width={width}>
      <Text wrap="truncate">
        {FOOTER[screen].map(([k, what], i) => (
          <Text key={k}>
            {i ? '  ' : ''}
            <Text bold color="cyan">{k}</Text> {what}
          </Text>
        ))}
      </Text>
    </Box>
  );
}
