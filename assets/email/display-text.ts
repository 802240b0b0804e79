/**
 * Text from strangers (listing titles and ids) made safe to show: terminal escape sequences and
 * control characters (NUL, ESC, line breaks) removed everywhere, and, where text cannot be isolated
 * as HTML's `<bdi>` does, the bidirectional formatting characters (such as the right-to-left
 * override, U+202E) that would reorder what follows them.
 */
import stripAnsi from 'strip-ansi';

const controlCharacters = /\p{Cc}+/gu;
const bidiFormatting = /[\u202A-\u202E\u2066-\u2069]/gu;

/** The text on one line, without escape sequences or control characters. */
export function withoutControlCharacters(text: string): string {
  return stripAnsi(text).replace(controlCharacters, ' ').trim();
}

/** The text without the characters that embed, override or isolate a writing direction. */
export function withoutBidiFormatting(text: string): string {
  return text.replace(bidiFormatting, '');
}
