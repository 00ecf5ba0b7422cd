import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startNginx } from './processes.ts';

/** deploy/nginx.conf run for real in front of a recording upstream: what it forwards and what it logs. */
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

describe('deploy/nginx.conf', () => {
  it('forwards the peer as X-Forwarded-For (never a client\'s), on every location, and logs no query strings', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const upstream = createServer((req, res) => {
      seen.push(req.headers);
      res.end('ok');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => upstream.close(resolve)));
    // The shipped access log, written to a file under the test prefix instead of stdout.
    const nginx = await startNginx([(upstream.address() as AddressInfo).port], {
      adjust: (conf, prefix) => conf.replace('access_log off;', '').replace(/(log_format copydesk [^\n]*;)/, `$1\n    access_log ${join(prefix, 'access.log')} copydesk;`),
    });
    cleanup.push(() => nginx.stop());

    for (const path of ['/api/me?token=cdk_secret-in-query', '/collab/abc?token=cdk_secret-in-query', '/socket.io/?EIO=4&token=cdk_secret-in-query']) {
      const res = await fetch(nginx.url + path, { headers: { 'x-forwarded-for': '198.51.100.66', 'x-forwarded-host': 'evil.example' } });
      expect(res.status, path).toBe(200);
    }
    expect(seen).toHaveLength(3);
    for (const headers of seen) {
      expect(headers['x-forwarded-for']).toBe('127.0.0.1');
      expect(headers['x-forwarded-host']).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(headers.host).toMatch(/^127\.0\.0\.1:\d+$/);
    }
    // Unbuffered: each line is written when its request ends.
    const log = readFileSync(join(nginx.prefix, 'access.log'), 'utf8');
    expect(log.split('\n').filter(Boolean)).toHaveLength(3);
    expect(log).not.toContain('cdk_secret');
    expect(log).toContain('/collab/abc');
  });
});
