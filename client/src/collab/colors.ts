/**
 * Ten colours that keep white text readable (contrast ≥ 4.5:1) and stay distinguishable
 * next to each other on carets, selections and avatars.
 */
export const USER_PALETTE = [
  '#B42318', // red
  '#B54708', // amber
  '#027A48', // green
  '#026AA2', // blue
  '#6927DA', // violet
  '#C11574', // magenta
  '#0E7090', // teal
  '#3538CD', // indigo
  '#7A5C00', // ochre
  '#475467', // slate
] as const;

/** FNV-1a: a small, stable string hash (the same id gives the same colour in every browser). */
function hash(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function colorForUser(userId: string): string {
  return USER_PALETTE[hash(userId) % USER_PALETTE.length]!;
}

/** "Alice Example" → "AE", "rita" → "RI". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  if (words.length === 1) return Array.from(words[0]!).slice(0, 2).join('').toUpperCase();
  return (Array.from(words[0]!)[0]! + Array.from(words[words.length - 1]!)[0]!).toUpperCase();
}
