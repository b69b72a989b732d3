/** "1 rule", "2 rules": a count with its word, for every count the app shows. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
