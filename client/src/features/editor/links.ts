/** Only these schemes may become links in an article. */
const SAFE_LINK = /^(https?:\/\/[^\s]+|mailto:[^\s]+)$/i;

export function isSafeLink(url: string): boolean {
  return SAFE_LINK.test(url.trim());
}
