// Lines built by the panes' pure line builders (views/styled.ts), drawn with Ink: one Text per
// line, cut at the pane's width.
import { Text } from 'ink';
import { useTheme } from '../theme.js';
import { spanStyle, type Line } from '../styled.js';

export function StyledLine({ line }: { line: Line }) {
  return (
    <Text wrap="truncate-end">
      <StyledSpans line={line} />
    </Text>
  );
}

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
