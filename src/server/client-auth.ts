import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../ir/gateway-error.ts';

/** Digests of keys seen recently: hashing every request's key costs more than the rest of authentication. */
const recentDigests = new Map<string, string>();

function digest(key: string): string {
  let value = recentDigests.get(key);
  if (value === undefined) {
    value = createHash('sha256').update(key).digest('base64');
    if (recentDigests.size >= 1024) recentDigests.clear();
    recentDigests.set(key, value);
  }
  return value;
}

/** The key a client sent, wherever its SDK puts it (CLIProxyAPI accepts the same places). */
export function clientKeyOf(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const authorization = req.headers.authorization;
  if (authorization) return authorization.startsWith('Bearer ') ? authorization.slice(7).trim() : authorization.trim();
  const header = req.headers['x-api-key'] ?? req.headers['x-goog-api-key'];
  if (typeof header === 'string' && header) return header;
  return query.get('key') ?? query.get('auth_token') ?? undefined;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/**
 * Client authentication. Keys are compared by digest, so lookups do not leak key prefixes through
 * timing. With no keys configured only loopback clients are served (the socket address, never a
 * forwarded header, decides).
 */
export class ClientAuthenticator {
  private readonly digests: Set<string>;

  constructor(apiKeys: readonly string[]) {
    this.digests = new Set(apiKeys.map(digest));
  }

  get open(): boolean {
    return this.digests.size === 0;
  }

  /** Returns the authenticated key ('' when none is needed) or throws a 401/403 GatewayError. */
  authenticate(req: IncomingMessage, query: URLSearchParams): string {
    if (this.digests.size === 0) {
      if (isLoopback(req.socket.remoteAddress)) return '';
      throw new GatewayError({
        status: 403,
        code: 'permission_error',
        message: 'no api-keys are configured, so only clients on this machine are served; add api-keys to config.yaml to serve others',
        retryable: false,
      });
    }
    const key = clientKeyOf(req, query);
    if (!key) throw new GatewayError({ status: 401, code: 'authentication_error', message: 'Missing API key', retryable: false });
    if (!this.digests.has(digest(key))) {
      throw new GatewayError({ status: 401, code: 'authentication_error', message: 'Invalid API key', retryable: false });
    }
    return key;
  }
}
