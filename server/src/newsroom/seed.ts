import { randomUUID } from 'node:crypto';
import type { Role } from '@copydesk/protocol';
import type { Logger } from 'pino';
import { hashPassword } from '../auth/passwords.ts';
import type { Store, UserRecord } from '../storage/store.ts';
import type { ArticleService } from './articles.ts';

export const DEMO_PASSWORD = 'copydesk';
export const DEMO_USERS: Array<{ username: string; displayName: string; role: Role }> = [
  { username: 'lead', displayName: 'Lena Desk', role: 'lead' },
  { username: 'alice', displayName: 'Alice Moreau', role: 'writer' },
  { username: 'bob', displayName: 'Bob Okafor', role: 'writer' },
  { username: 'rita', displayName: 'Rita Reader', role: 'reader' },
];

/** Seeds the demo newsroom into an empty store. */
export async function seedDemoNewsroom(store: Store, articles: ArticleService, log: Logger): Promise<boolean> {
  if ((await store.users.count()) > 0) return false;
  const created: Record<string, UserRecord> = {};
  for (const demo of DEMO_USERS) {
    const user: UserRecord = {
      id: randomUUID(),
      ...demo,
      passwordHash: await hashPassword(DEMO_PASSWORD),
      createdAt: new Date().toISOString(),
    };
    await store.users.create(user);
    created[demo.username] = user;
  }
  await articles.create(created.alice!, {
    headline: 'Flood defences hold as river peaks overnight',
    dek: 'Emergency crews worked through the night as the Alder reached its highest level in 40 years.',
    body: [
      { type: 'paragraph', text: 'The River Alder peaked at 5.8 metres shortly after 3am on Tuesday, the highest level recorded at the Millbridge gauge since 1984, the Environment Agency said.' },
      { type: 'paragraph', text: 'Temporary barriers installed along Quay Street over the weekend held back the water, sparing around 300 homes and businesses that flooded in 2019.' },
      { type: 'heading', level: 2, text: 'Roads closed, schools open' },
      { type: 'paragraph', text: 'The A614 ring road remains closed between the Station roundabout and Ferry Lane while engineers inspect the bridge supports. Council officials said schools would open as normal.' },
      { type: 'blockquote', text: '“The defences did exactly what they were built to do,” said Maya Chen, the agency’s area manager.' },
      { type: 'paragraph', text: 'Forecasters expect the river to fall slowly over the next two days, though further rain is forecast for Thursday.' },
    ],
  });
  await articles.create(created.bob!, {
    headline: 'Council approves late-night bus trial',
    dek: 'Three routes will run until 2am from March in a six-month pilot.',
    body: [
      { type: 'paragraph', text: 'Night buses will return to three of the city’s busiest routes from March after councillors voted 31–12 to fund a six-month trial.' },
      { type: 'paragraph', text: 'The pilot, costing £420,000, will be reviewed in September against passenger numbers and reports from hospitality workers, who campaigned for the change.' },
    ],
  });
  log.info({ users: DEMO_USERS.map((u) => u.username) }, 'seeded demo newsroom');
  return true;
}
