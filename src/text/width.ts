// Display width of a text in terminal cells (CJK and emoji take two). Most of what imos prints is
// plain ASCII: that is measured by its length, without string-width (12 µs a cell: a table of
// 10,000 checks spent over a second in it).
import stringWidthOf from 'string-width';

const PLAIN = /^[\x20-\x7e]*$/;

export function displayWidth(text: string): number {
  return PLAIN.test(text) ? text.length : stringWidthOf(text);
}
