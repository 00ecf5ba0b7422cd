/** Presence board events (the presence issue fills these in). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PresenceServerEvents {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PresenceClientEvents {}
