// Lines built by the panes' pure line builders (views/styled.ts), drawn with Ink: one Text per
// line, cut at the pane's width. The panes build their lines anew at every render; a line whose
// spans read and look as before is not drawn again (a key press that moves a selection redraws
// two rows of a pane, not all of them).
import { Text } from 'ink';
import { memo } from 'react';
import { useTheme } from '../theme.js';
import { sameLine, spanStyle, type Line } from '../styled.js';

export const StyledLine = memo(
  function StyledLine({ line }: { line: Line }) {
    return (
      <Text wrap="truncate-end">
        <StyledSpans line={line} />
      </Text>
    );
  },
  (before, after) => sameLine(before.line, after.line),
);

/** The spans of a line, for a Text that holds more (the header's clock). */
export function StyledSpans({ line }: { line: Line }) {
  const theme = useTheme();
  return (
    <>
      {line.map((span, i) => {
        const style = spanStyle(span, theme);
        return (
          <Text key={i} color={style.color} bold={style.bold} inverse={style.inverse}>
            {span.text}
          </Text>
        );
      })}
    </>
  );
}

export function StyledLines({ lines }: { lines: readonly Line[] }) {
  return (
    <>
      {lines.map((line, i) => (
        <StyledLine key={i} line={line} />
      ))}
    </>
  );
}
