/** A bar of `width` cells filled to `fraction`, followed by the percentage. */
import { Text } from './text.js';

export interface ProgressBarProps {
  /** 0 to 1. */
  fraction: number;
  width: number;
}

export function ProgressBar({ fraction, width }: ProgressBarProps) {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(f * width);
  return (
    <Text>
      <Text color="cyan">{'█'.repeat(filled)}</Text>
      <Text dimColor>{'░'.repeat(width - filled)}</Text>
      <Text> {String(Math.floor(f * 100)).padStart(3)}%</Text>
    </Text>
  );
}
