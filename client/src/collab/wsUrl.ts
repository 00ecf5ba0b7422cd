/** Absolute ws(s):// URL for a same-origin path (the session cookie rides along). */
export function wsUrl(path: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}${path}`;
}
