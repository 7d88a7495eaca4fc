import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { systemClock, type Clock } from '../../routing/state/routing-state-store.ts';
import { isLoopback } from '../client-auth.ts';
import { formatGoDuration } from './format-go-duration.ts';

const MAX_FAILURES = 5;
const BAN_MS = 30 * 60_000;
/** Beyond this many tracked addresses, entries with nothing left to remember are dropped. */
const TRACKED_ADDRESSES_SOFT_LIMIT = 1024;
const VERIFIED_CACHE_LIMIT = 64;
const BCRYPT_HASH = /^\$2[aby]\$\d\d\$/;

export interface ManagementSettings {
  allowRemote: boolean;
  /** Plaintext, or a bcrypt hash (`$2a$`, `$2b$`, `$2y$`); empty: management is off. */
  secretKey: string;
}

/** `not-found`: management is off and must look unregistered; otherwise a status and message to send. */
export type ManagementDenial = 'not-found' | { status: 401 | 403; error: string };

interface FailureRecord {
  count: number;
  bannedUntil: number;
  lastFailureAt: number;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** `Authorization: Bearer <key>` (or the raw header value), else `X-Management-Key`. */
export function managementKeyOf(req: IncomingMessage): string {
  const authorization = req.headers.authorization?.trim();
  if (authorization) {
    const space = authorization.indexOf(' ');
    if (space > 0 && authorization.slice(0, space).toLowerCase() === 'bearer') return authorization.slice(space + 1).trim();
    return authorization;
  }
  const header = req.headers['x-management-key'];
  return typeof header === 'string' ? header.trim() : '';
}

/**
 * CLIProxyAPI's management guard. Off (404) without a secret. Clients off this machine, judged by
 * the socket address (a forwarded header is the client's to forge), need `allow-remote` or the
 * MANAGEMENT_PASSWORD override. Five failures from one address ban it for 30 minutes. Successful
 * bcrypt comparisons are remembered by digest, so a valid key costs one bcrypt run, not one per request.
 */
export class ManagementAuthenticator {
  private readonly envPassword: string;
  private readonly clock: Clock;
  private readonly failures = new Map<string, FailureRecord>();
  /** Digests of `hash\0key` pairs that bcrypt accepted. */
  private readonly verified = new Set<string>();

  constructor(options: { env?: NodeJS.ProcessEnv; clock?: Clock } = {}) {
    this.envPassword = (options.env ?? process.env).MANAGEMENT_PASSWORD ?? '';
    this.clock = options.clock ?? systemClock;
  }

  /** Resolves to undefined when the request may proceed. */
  async authorize(req: IncomingMessage, settings: ManagementSettings): Promise<ManagementDenial | undefined> {
    if (!settings.secretKey && !this.envPassword) return 'not-found';
    const address = req.socket.remoteAddress ?? '';
    const now = this.clock();
    const record = this.failures.get(address);
    if (record && record.bannedUntil > now) {
      return { status: 403, error: `IP banned due to too many failed attempts. Try again in ${formatGoDuration(record.bannedUntil - now)}` };
    }
    if (!isLoopback(address) && !settings.allowRemote && !this.envPassword) return { status: 403, error: 'remote management disabled' };

    const key = managementKeyOf(req);
    if (!key) {
      this.recordFailure(address, now);
      return { status: 401, error: 'missing management key' };
    }
    if ((this.envPassword && equalSecrets(key, this.envPassword)) || (await this.matchesSecret(key, settings.secretKey, address))) {
      this.failures.delete(address);
      return undefined;
    }
    return { status: 401, error: 'invalid management key' };
  }

  /** Records the failure itself; a bcrypt attempt counts before it is compared, see below. */
  private async matchesSecret(key: string, secret: string, address: string): Promise<boolean> {
    if (!BCRYPT_HASH.test(secret)) {
      const matches = secret !== '' && equalSecrets(key, secret);
      if (!matches) this.recordFailure(address, this.clock());
      return matches;
    }
    const cacheKey = sha256(`${secret}\u0000${key}`).toString('base64');
    if (this.verified.has(cacheKey)) return true;
    // bcrypt yields while it works: counted only afterwards, a burst of parallel guesses would all
    // pass the ban check first. A success clears the count again.
    this.recordFailure(address, this.clock());
    // Loaded on first use: most gateways never see a bcrypt-hashed management key checked.
    const { compare } = await import('bcryptjs');
    if (!(await compare(key, secret))) return false;
    if (this.verified.size >= VERIFIED_CACHE_LIMIT) this.verified.clear();
    this.verified.add(cacheKey);
    return true;
  }

  private recordFailure(address: string, now: number): void {
    if (this.failures.size >= TRACKED_ADDRESSES_SOFT_LIMIT) this.forgetStale(now);
    const record = this.failures.get(address) ?? { count: 0, bannedUntil: 0, lastFailureAt: 0 };
    // Failures spread over more than a ban's length are not an attack worth a ban.
    if (now - record.lastFailureAt > BAN_MS) record.count = 0;
    record.count++;
    record.lastFailureAt = now;
    if (record.count >= MAX_FAILURES) {
      record.count = 0;
      record.bannedUntil = now + BAN_MS;
    }
    this.failures.set(address, record);
  }

  private forgetStale(now: number): void {
    for (const [address, record] of this.failures) {
      if (record.bannedUntil <= now && now - record.lastFailureAt > BAN_MS) this.failures.delete(address);
    }
  }
}

/** Compares digests, so the comparison takes the same time whatever the key's length or prefix. */
function equalSecrets(provided: string, expected: string): boolean {
  return timingSafeEqual(sha256(provided), sha256(expected));
}
