/** Small wording helpers for messages. */

/** "a" or "an" before a word (by its first letter: a, e, i, o, u). */
export function a(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}
