/** What every client publishes in its awareness state under `user` (CollaborationCaret reads name/color). */
export interface AwarenessUser {
  id: string;
  name: string;
  color: string;
}

export function isAwarenessUser(value: unknown): value is AwarenessUser {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && typeof v.color === 'string';
}
