// Bytes read from a file into text. V8 decodes UTF-8 a character at a time; bytes that are all
// ASCII (what imos writes, and nearly every configuration) read the same as Latin-1, which is a
// copy: an 8 MB store snapshot decodes in about a third of the time.
import { isAscii } from 'node:buffer';
import type { StringDecoder } from 'node:string_decoder';

/**
 * `bytes` as UTF-8 text (malformed sequences become U+FFFD, as Buffer#toString makes them). With
 * `decoder` (a StringDecoder('utf8')), `bytes` are the next piece of a text read a piece at a time:
 * a character split between pieces is held back until its last byte comes. No ASCII byte continues
 * a character, so one held back before ASCII bytes ends as U+FFFD either way.
 */
export function decodeUtf8(bytes: Buffer, decoder?: StringDecoder): string {
  // An empty piece is ASCII but ends no character held back.
  if (bytes.length > 0 && isAscii(bytes)) return (decoder ? decoder.end() : '') + bytes.toString('latin1');
  return decoder ? decoder.write(bytes) : bytes.toString('utf8');
}
