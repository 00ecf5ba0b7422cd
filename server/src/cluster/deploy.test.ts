import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { NGINX_CONF, REPO_DIR, nginxTest, renderNginxConfig, requireBinary } from './processes.ts';

/** The deployment files, checked without a Docker engine: compose topology, Dockerfile, nginx config. */

interface ComposeService {
  image?: string;
  build?: string | { context: string };
  command?: string[] | string;
  environment?: Record<string, string> | string[];
  ports?: Array<string | { target: number; published: string | number }>;
  volumes?: Array<string | { type: string; source: string; target: string }>;
  healthcheck?: { test: string[] | string };
  deploy?: { replicas?: number };
  depends_on?: Record<string, { condition: string }> | string[];
  stop_grace_period?: string;
}
interface Compose {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** `docker compose config` when a Compose client is installed (it needs no engine); the YAML itself otherwise. */
function loadCompose(): { compose: Compose; via: string } {
  const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  if (probe.status === 0) {
    const json = execFileSync('docker', ['compose', '-f', join(REPO_DIR, 'docker-compose.yml'), 'config', '--format', 'json'], { encoding: 'utf8' });
    return { compose: JSON.parse(json) as Compose, via: 'docker compose config' };
  }
  return { compose: parse(readFileSync(join(REPO_DIR, 'docker-compose.yml'), 'utf8')) as Compose, via: 'yaml' };
}

const text = (v: unknown) => (Array.isArray(v) ? v.join(' ') : String(v ?? ''));
const env = (s: ComposeService) =>
  Array.isArray(s.environment) ? Object.fromEntries(s.environment.map((e) => e.split('=') as [string, string])) : (s.environment ?? {});
const mounts = (s: ComposeService) => (s.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`));

describe('docker-compose.yml', () => {
  const { compose } = loadCompose();

  it('runs redis (7, AOF everysec, a volume), two app replicas and nginx', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'nginx', 'redis']);
    const redis = compose.services.redis!;
    expect(redis.image).toMatch(/^redis:7/);
    expect(text(redis.command)).toMatch(/--appendonly yes/);
    expect(text(redis.command)).toMatch(/--appendfsync everysec/);
    expect(mounts(redis).some((m) => /:\/data$/.test(m))).toBe(true);
    expect(Object.keys(compose.volumes ?? {}).length).toBeGreaterThan(0);
    expect(text(redis.healthcheck?.test)).toMatch(/redis-cli.*ping/);
  });

  it('builds the app from the Dockerfile, twice, on Redis, health-checked on /healthz', () => {
    const app = compose.services.app!;
    expect(app.build).toBeTruthy();
    expect(app.deploy?.replicas).toBe(2);
    expect(env(app).REDIS_URL).toBe('redis://redis:6379');
    expect(env(app).TRUST_PROXY).toBe('true');
    expect(text(app.healthcheck?.test)).toMatch(/\/healthz/);
    expect(JSON.stringify(app.depends_on)).toMatch(/redis/);
  });

  it('runs in production without the demo accounts (public password) unless asked', () => {
    const app = compose.services.app!;
    expect(env(app).NODE_ENV).toBe('production');
    expect(String(env(app).SEED_DEMO ?? 'false')).toMatch(/^(\$\{SEED_DEMO:-false\}|false)$/);
  });

  it('puts nginx with deploy/nginx.conf on port 8080', () => {
    const nginx = compose.services.nginx!;
    const ports = (nginx.ports ?? []).map((p) => (typeof p === 'string' ? p : `${p.published}:${p.target}`));
    expect(ports).toContain('8080:8080');
    expect(mounts(nginx).some((m) => /deploy\/nginx\.conf:\/etc\/nginx\/nginx\.conf/.test(m))).toBe(true);
    expect(text(nginx.healthcheck?.test)).toMatch(/8080\/healthz/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(REPO_DIR, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);

  it('is multi-stage, with production dependencies only and a non-root user in the final stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const final = stages.at(-1)!;
    expect(final).toMatch(/npm ci --omit=dev/);
    expect(final).toMatch(/^USER node$/m);
    expect(final).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
    expect(final).toMatch(/CMD \["node", "server\/dist\/main\.js"\]/);
    // Compiled JavaScript only: no TypeScript sources and no tsx at runtime.
    expect(final).not.toMatch(/tsx|\/src\b/);
  });
});

describe('deploy/nginx.conf', () => {
  const conf = readFileSync(NGINX_CONF, 'utf8');

  it('listens on 8080 and upgrades /collab and /socket.io to WebSockets, without sticky sessions', () => {
    expect(conf).toMatch(/listen 8080;/);
    for (const path of ['/collab', '/socket.io/']) {
      const block = new RegExp(`location ${path.replace(/[/.]/g, '\\$&')} \\{([\\s\\S]*?)\\}`).exec(conf)?.[1] ?? '';
      expect(block, path).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
      expect(block, path).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
      expect(block, path).toMatch(/proxy_read_timeout 1h;/);
    }
    const directives = conf.replace(/#.*$/gm, '');
    expect(directives).not.toMatch(/ip_hash|sticky|hash \$/);
  });

  it('sets X-Forwarded-For to the peer (never appends a client\'s), logs no query strings, and re-resolves the app service', () => {
    const directives = conf.replace(/#.*$/gm, '');
    // nginx inherits proxy_set_header only into blocks that set none: every location sets it itself.
    for (const location of directives.matchAll(/location\s+\S+\s+\{([^}]*)\}/g)) {
      expect(location[1], location[0]).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
      expect(location[1], location[0]).toMatch(/proxy_set_header X-Forwarded-Proto \$scheme;/);
    }
    expect(directives).not.toMatch(/proxy_add_x_forwarded_for/);
    const format = /log_format\s+(\w+)\s+'([^']*)'/.exec(directives);
    expect(format, 'a log_format of our own').toBeTruthy();
    expect(format![2]).not.toMatch(/\$(request|request_uri|args|query_string|arg_\w+|http_referer)\b/);
    const logs = [...directives.matchAll(/access_log\s+([^;]+);/g)].map((m) => m[1]!.trim());
    expect(logs.length).toBeGreaterThan(0);
    for (const log of logs) expect(log === 'off' || log.endsWith(` ${format![1]}`), log).toBe(true);
    const upstream = /upstream copydesk \{([\s\S]*?)\n\s*\}/.exec(directives)?.[1] ?? '';
    expect(upstream).toMatch(/resolver 127\.0\.0\.11 valid=10s/);
    expect(upstream).toMatch(/zone copydesk/);
    expect(upstream).toMatch(/server app:3000 resolve\b/);
  });

  it('a missing nginx or redis-server fails at once with the command that installs it', () => {
    expect(() => requireBinary('/nonexistent/nginx', 'nginx')).toThrow(/nginx is not installed \(looked for \/nonexistent\/nginx\)\. Install it: sudo apt-get install -y nginx-light/);
    expect(() => requireBinary('copydesk-no-such-redis-server', 'redis-server')).toThrow(/Install it: sudo apt-get install -y redis-server/);
  });

  it('is accepted by nginx -t (with the local upstreams the cluster tests use)', async () => {
    const result = await nginxTest((prefix) => renderNginxConfig([3001, 3002], 18080, prefix));
    expect(result.ok, result.output).toBe(true);
  });
});
