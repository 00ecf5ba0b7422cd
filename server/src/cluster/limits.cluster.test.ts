import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from './topology.ts';

/** Limits behind the shipped nginx and across instances: one budget per client, whatever it forges. */
let cluster: Cluster | null = null;
afterEach(async () => {
  await cluster?.stop();
  cluster = null;
});

async function attempt(baseUrl: string, forwardedFor?: string): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (forwardedFor !== undefined) headers['x-forwarded-for'] = forwardedFor;
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ username: `nobody-${randomUUID().slice(0, 8)}`, password: 'wrong' }),
  });
  return res.status;
}

describe('cluster: rate limits behind nginx', () => {
  it('a forged X-Forwarded-For through nginx does not buy more attempts, and both instances count one limit', async () => {
    cluster = await startCluster({ env: { LOGIN_RATE_PER_IP: '6', LOGIN_RATE_PER_USERNAME: '100' } });
    const [one, two] = cluster.instances as [Cluster['instances'][0], Cluster['instances'][0]];
    // Two attempts straight at each instance (no proxy in between: the peer address counts)...
    expect([await attempt(one.url), await attempt(two.url), await attempt(one.url), await attempt(two.url)]).toEqual([401, 401, 401, 401]);
    // ...then through the balancer (round robin over both), each with a different forged address.
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await attempt(cluster.url, `198.51.100.${i}`));
    expect(statuses).toEqual([401, 401, 429, 429]);
  });
});
