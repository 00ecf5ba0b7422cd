import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { ErrorCode } from '@copydesk/protocol';
import { HttpError } from './errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Which browser origins may talk to us with the user's cookies: our own host, plus ALLOWED_ORIGINS.
 * A request without Origin is not from a cross-site browser context (browsers send it on
 * cross-site POSTs and on every WebSocket handshake), so it passes; Sec-Fetch-Site is checked too.
 */
export class OriginPolicy {
  private readonly allowed: Set<string>;

  constructor(
    allowedOrigins: string[],
    /** Trusted proxy hops (TRUST_PROXY). */
    private readonly trustProxy: number,
  ) {
    this.allowed = new Set(allowedOrigins.map((o) => o.replace(/\/$/, '').toLowerCase()));
  }

  allows(headers: IncomingMessage['headers']): boolean {
    const origin = headers.origin;
    if (origin !== undefined) {
      if (origin === 'null') return false;
      const normalized = origin.replace(/\/$/, '').toLowerCase();
      if (this.allowed.has(normalized)) return true;
      const host = (this.trustProxy ? firstValue(headers['x-forwarded-host']) : undefined) ?? headers.host;
      try {
        return host !== undefined && new URL(normalized).host === host.toLowerCase();
      } catch {
        return false;
      }
    }
    const site = firstValue(headers['sec-fetch-site']);
    return site === undefined || site === 'same-origin' || site === 'none';
  }

  /** Express guard: state-changing requests that carry a session cookie must come from an allowed origin. */
  middleware(): RequestHandler {
    return (req, _res, next) => {
      if (SAFE_METHODS.has(req.method) || !req.sessionToken || req.viaToken) return next();
      if (!this.allows(req.headers)) return next(new HttpError(ErrorCode.forbidden, 'Cross-site request refused'));
      next();
    };
  }

  /** For raw handshakes (/collab, Socket.IO). */
  allowsRequest = (request: IncomingMessage): boolean => this.allows(request.headers);
}

function firstValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.split(',')[0]?.trim() || undefined;
}

/**
 * The client's address behind `hops` trusted proxies, as Express computes `req.ip` with a numeric
 * `trust proxy`: walking from our socket's peer back through X-Forwarded-For (right to left), the
 * address `hops` steps away. Entries further left were written by the client and never count, so
 * a forged X-Forwarded-For cannot change whom a rate limit counts.
 */
export function clientAddress(request: IncomingMessage, hops: number): string {
  const peer = request.socket.remoteAddress ?? 'unknown';
  if (hops <= 0) return peer;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((entry) => entry.trim()).filter(Boolean);
  const chain = [peer, ...forwarded.reverse()];
  return chain[Math.min(hops, chain.length - 1)]!;
}
