import { Box, Text } from 'ink';

/** Below the minimum size nothing would be readable: say so, and what size is needed. */
export function TooSmall({ columns, rows, need }: { columns: number; rows: number; need: { columns: number; rows: number } }) {
  return (
    <Box flexDirection="column" width={Math.max(1, columns)} height={Math.max(1, rows - 1)}>
      <Text wrap="truncate-end">{`terminal too small (need ${need.columns}×${need.rows})`}</Text>
      <Text wrap="truncate-end">{`now ${columns}×${rows} · q quits`}</Text>
    </Box>
  );
}
