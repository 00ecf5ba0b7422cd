import type { ServerSpec } from './types.ts';
import { copydesk, copydeskRedis } from './copydesk.ts';
import { ywsRefLeveldb, ywsRefMemory } from './yws-ref.ts';
import { hocuspocus4Memory, hocuspocus4Sqlite, hocuspocusMemory, hocuspocusSqlite } from './hocuspocus.ts';

/** Copydesk first: it is the numerator of every ratio. */
export const ALL_SERVERS: ServerSpec[] = [
  copydesk,
  copydeskRedis,
  ywsRefLeveldb,
  ywsRefMemory,
  hocuspocus4Sqlite,
  hocuspocus4Memory,
  hocuspocusSqlite,
  hocuspocusMemory,
];

export const SUBJECT_ID = 'copydesk';
