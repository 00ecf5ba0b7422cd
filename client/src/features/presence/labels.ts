import type { PresencePerson, PresenceState } from '@copydesk/protocol';

export const STATE_LABELS: Record<PresenceState, string> = { active: 'Active', idle: 'Idle', away: 'Away' };

/** "Alice Moreau — active in ¶ 4 · Reaction, 2 tabs" (tooltips and screen readers). */
export function describePerson(person: Pick<PresencePerson, 'displayName' | 'state' | 'section' | 'tabs'>, self = false): string {
  const parts = [`${person.displayName}${self ? ' (you)' : ''} — ${STATE_LABELS[person.state].toLowerCase()}`];
  if (person.section) parts[0] += ` in ${person.section.label}`;
  if (person.tabs > 1) parts.push(`${person.tabs} tabs`);
  return parts.join(', ');
}

const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['hour', 3600],
  ['minute', 60],
];

/** "12 min", "2 h", "now": a compact duration since `iso`. */
export function since(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (Number.isNaN(seconds)) return '';
  if (seconds < 45) return 'now';
  for (const [unit, size] of units) {
    if (seconds >= size) {
      const value = Math.round(seconds / size);
      return unit === 'hour' ? `${value} h` : `${value} min`;
    }
  }
  return `${Math.max(1, Math.round(seconds / 60))} min`;
}
