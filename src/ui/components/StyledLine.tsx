// Draws pre-wrapped styled lines (from src/core/text) with Ink, one terminal row per line.
import { Box, Text } from 'ink';
import type { Line } from '../../core/text/styled.js';
import { textStyle, useTheme } from '../theme.js';

export function StyledLine({ line }: { line: Line }) {
  const theme = useTheme();
  if (line.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {line.map((s, i) => (
        <Text key={i} {...textStyle(theme, s.style)}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}

export function StyledLines({ lines }: { lines: Line[] }) {
  return (
    <Box flexDirection="column">
      {lines.map((l, i) => (
        <StyledLine key={i} line={l} />
      ))}
    </Box>
  );
}
