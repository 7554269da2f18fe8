/** The bottom line: the main keys of the current screen, or a notice (what an export wrote) until the next key. */
import { Box, Text } from 'ink';
import { FOOTER } from './keymap.js';

export type Screen = keyof typeof FOOTER;

export interface FooterProps {
  screen: Screen;
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
