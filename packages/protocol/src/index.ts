export * from './errors.ts';
export * from './close-codes.ts';
export * from './users.ts';
export * from './articles.ts';
export * from './health.ts';
export * from './events.ts';
