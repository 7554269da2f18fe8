/**
 * Ink's Text, honouring NO_COLOR (https://no-color.org): when the variable is
 * set and not empty, no foreground or background colour is drawn. Bold,
 * underline, dim and inverse stay: they are not colours, and the selected row
 * and the caret are inverse, which a user without colours still needs to see.
 * (The filter bar's green or red background goes too: its "valid" /
 * "invalid" tag says the same in words.)
 * Every component of the UI draws text with this one, not with Ink's.
 */
import { Text as InkText, type TextProps } from 'ink';

/** Read on every draw, not once: cheap, and tests set it per case. */
export function colourAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return !env.NO_COLOR;
}

export function Text({ color, backgroundColor, ...rest }: TextProps) {
  if (colourAllowed()) return <InkText color={color} backgroundColor={backgroundColor} {...rest} />;
  return <InkText {...rest} />;
}
