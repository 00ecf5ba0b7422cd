/**
 * Banned-word matching for reader comments: whole words (or phrases), case-insensitive, after
 * Unicode compatibility folding, so "SPAM", "spam!" and "ｓｐａｍ" match "spam" but "spammer"
 * and "antispam" do not. Returns the banned words found, in list order.
 */
export function findBannedWords(body: string, bannedWords: readonly string[]): string[] {
  if (!bannedWords.length) return [];
  const text = fold(body);
  const found: string[] = [];
  for (const word of bannedWords) {
    const needle = fold(word).trim();
    if (!needle) continue;
    if (containsWord(text, needle)) found.push(word);
  }
  return found;
}

function fold(value: string): string {
  return value
    .normalize('NFKC')
    .toLocaleLowerCase('en')
    .replace(/\s+/gu, ' ');
}

const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);

function containsWord(text: string, needle: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(needle, from);
    if (at < 0) return false;
    const before = at > 0 ? text[at - 1] : undefined;
    const after = text[at + needle.length];
    // A boundary on each side, unless the banned word itself starts or ends with punctuation.
    const startOk = !isWordChar(needle[0]) || !isWordChar(before);
    const endOk = !isWordChar(needle[needle.length - 1]) || !isWordChar(after);
    if (startOk && endOk) return true;
    from = at + 1;
  }
}
