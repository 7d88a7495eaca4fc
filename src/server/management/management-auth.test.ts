import { hashSync } from 'bcryptjs';
import type { IncomingMessage } from 'node:http';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { formatGoDuration } from './format-go-duration.ts';
import { ManagementAuthenticator, managementKeyOf, type ManagementSettings } from './management-auth.ts';

const bcryptCalls = vi.hoisted(() => ({ count: 0 }));

vi.mock('bcryptjs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('bcryptjs')>();
  return {
    ...actual,
    compare: (key: string, hash: string) => {
      bcryptCalls.count++;
      return actual.compare(key, hash);
    },
  };
});

const LOCAL = '127.0.0.1';
const REMOTE = '203.0.113.7';
const PLAIN: ManagementSettings = { allowRemote: false, secretKey: 'mgmt-secret' };

function request(address: string, headers: Record<string, string> = {}): IncomingMessage {
  return { headers, socket: { remoteAddress: address } } as unknown as IncomingMessage;
}

function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

let now: number;
const clock = () => now;

beforeEach(() => {
  now = 1_700_000_000_000;
  bcryptCalls.count = 0;
});

describe('managementKeyOf', () => {
  it('reads a bearer token, the raw Authorization value, or X-Management-Key', () => {
    expect(managementKeyOf(request(LOCAL, { authorization: 'Bearer abc' }))).toBe('abc');
    expect(managementKeyOf(request(LOCAL, { authorization: 'bearer abc' }))).toBe('abc');
    expect(managementKeyOf(request(LOCAL, { authorization: 'abc' }))).toBe('abc');
    expect(managementKeyOf(request(LOCAL, { 'x-management-key': 'xyz' }))).toBe('xyz');
    expect(managementKeyOf(request(LOCAL))).toBe('');
  });
});

describe('ManagementAuthenticator', () => {
  it('looks unregistered when no secret is configured', async () => {
    const auth = new ManagementAuthenticator({ env: {}, clock });
    expect(await auth.authorize(request(LOCAL, bearer('anything')), { allowRemote: true, secretKey: '' })).toBe('not-found');
  });

  it('accepts the plaintext secret from any of the three places', async () => {
    const auth = new ManagementAuthenticator({ env: {}, clock });
    expect(await auth.authorize(request(LOCAL, bearer('mgmt-secret')), PLAIN)).toBeUndefined();
    expect(await auth.authorize(request(LOCAL, { authorization: 'mgmt-secret' }), PLAIN)).toBeUndefined();
    expect(await auth.authorize(request(LOCAL, { 'x-management-key': 'mgmt-secret' }), PLAIN)).toBeUndefined();
  });

  it('answers 401 for a missing and for a wrong key', async () => {
    const auth = new ManagementAuthenticator({ env: {}, clock });
    expect(await auth.authorize(request(LOCAL), PLAIN)).toEqual({ status: 401, error: 'missing management key' });
    expect(await auth.authorize(request(LOCAL, bearer('mgmt-secreT')), PLAIN)).toEqual({ status: 401, error: 'invalid management key' });
  });

  it('accepts bcrypt hashes ($2a$, $2b$, $2y$) and pays bcrypt once per key', async () => {
    const hash = hashSync('hashed-secret', 4);
    for (const prefix of ['$2a$', '$2b$', '$2y$']) {
      const auth = new ManagementAuthenticator({ env: {}, clock });
      const settings = { allowRemote: false, secretKey: prefix + hash.slice(4) };
      bcryptCalls.count = 0;
      expect(await auth.authorize(request(LOCAL, bearer('hashed-secret')), settings)).toBeUndefined();
      expect(await auth.authorize(request(LOCAL, bearer('hashed-secret')), settings)).toBeUndefined();
      expect(await auth.authorize(request(LOCAL, bearer('hashed-secret')), settings)).toBeUndefined();
      expect(bcryptCalls.count).toBe(1);
      expect(await auth.authorize(request(LOCAL, bearer('wrong')), settings)).toEqual({ status: 401, error: 'invalid management key' });
      // The hash itself is not a key.
      expect(await auth.authorize(request(LOCAL, bearer(settings.secretKey)), settings)).toEqual({ status: 401, error: 'invalid management key' });
    }
  });

  it('forgets a cached success when the secret changes', async () => {
    const auth = new ManagementAuthenticator({ env: {}, clock });
    const first = { allowRemote: false, secretKey: hashSync('one', 4) };
    const second = { allowRemote: false, secretKey: hashSync('two', 4) };
    expect(await auth.authorize(request(LOCAL, bearer('one')), first)).toBeUndefined();
    expect(await auth.authorize(request(LOCAL, bearer('one')), second)).toEqual({ status: 401, error: 'invalid management key' });
  });

  it('refuses remote clients unless allow-remote is on, judging by the socket address only', async () => {
    const auth = new ManagementAuthenticator({ env: {}, clock });
    const forged = request(REMOTE, { ...bearer('mgmt-secret'), 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1' });
    expect(await auth.authorize(forged, PLAIN)).toEqual({ status: 403, error: 'remote management disabled' });
    expect(await auth.authorize(forged, { ...PLAIN, allowRemote: true })).toBeUndefined();
    expect(await auth.authorize(request('::1', bearer('mgmt-secret')), PLAIN)).toBeUndefined();
    expect(await auth.authorize(request('::ffff:127.0.0.1', bearer('mgmt-secret')), PLAIN)).toBeUndefined();
  });

  it('MANAGEMENT_PASSWORD opens management without a configured secret and allows remote clients', async () => {
    const auth = new ManagementAuthenticator({ env: { MANAGEMENT_PASSWORD: 'env-pass' }, clock });
    const none = { allowRemote: false, secretKey: '' };
    expect(await auth.authorize(request(REMOTE, bearer('env-pass')), none)).toBeUndefined();
    expect(await auth.authorize(request(REMOTE, bearer('mgmt-secret')), none)).toEqual({ status: 401, error: 'invalid management key' });
    // Both the env password and the configured secret are accepted.
    expect(await auth.authorize(request(REMOTE, bearer('mgmt-secret')), PLAIN)).toBeUndefined();
  });

  it('bans an address for 30 minutes after 5 failures, then lets it try again', async () => {
    const auth = new ManagementAuthenticator({ env: {}, clock });
    const settings = { ...PLAIN, allowRemote: true };
    for (let attempt = 0; attempt < 4; attempt++) {
      expect(await auth.authorize(request(REMOTE, bearer('guess')), settings)).toEqual({ status: 401, error: 'invalid management key' });
    }
    expect(await auth.authorize(request(REMOTE), settings)).toEqual({ status: 401, error: 'missing management key' });
    now += 1000;
    // Banned: even the right key is refused, and the message counts down in Go's format.
    expect(await auth.authorize(request(REMOTE, bearer('mgmt-secret')), settings)).toEqual({
      status: 403,
      error: 'IP banned due to too many failed attempts. Try again in 29m59s',
    });
    // Other addresses are not affected.
    expect(await auth.authorize(request('198.51.100.1', bearer('mgmt-secret')), settings)).toBeUndefined();
    now += 29 * 60_000 + 58_000;
    expect(await auth.authorize(request(REMOTE, bearer('mgmt-secret')), settings)).toEqual({
      status: 403,
      error: 'IP banned due to too many failed attempts. Try again in 1s',
    });
    now += 1000;
    expect(await auth.authorize(request(REMOTE, bearer('mgmt-secret')), settings)).toBeUndefined();
  });

  it('counts parallel bcrypt guesses before comparing, so a burst cannot outrun the ban', async () => {
    const auth = new ManagementAuthenticator({ env: {}, clock });
    const settings = { allowRemote: true, secretKey: hashSync('hashed-secret', 4) };
    const answers = await Promise.all(Array.from({ length: 8 }, (_, index) => auth.authorize(request(REMOTE, bearer(`guess-${index}`)), settings)));
    expect(answers.filter((answer) => typeof answer === 'object' && answer.status === 401)).toHaveLength(5);
    expect(answers.filter((answer) => typeof answer === 'object' && answer.status === 403)).toHaveLength(3);
  });

  it('a success clears the failure count', async () => {
    const auth = new ManagementAuthenticator({ env: {}, clock });
    for (let attempt = 0; attempt < 4; attempt++) await auth.authorize(request(LOCAL, bearer('guess')), PLAIN);
    expect(await auth.authorize(request(LOCAL, bearer('mgmt-secret')), PLAIN)).toBeUndefined();
    for (let attempt = 0; attempt < 4; attempt++) await auth.authorize(request(LOCAL, bearer('guess')), PLAIN);
    expect(await auth.authorize(request(LOCAL, bearer('mgmt-secret')), PLAIN)).toBeUndefined();
  });

  it('does not ban for failures spread over more than 30 minutes', async () => {
    const auth = new ManagementAuthenticator({ env: {}, clock });
    for (let attempt = 0; attempt < 4; attempt++) await auth.authorize(request(LOCAL, bearer('guess')), PLAIN);
    now += 31 * 60_000;
    await auth.authorize(request(LOCAL, bearer('guess')), PLAIN);
    expect(await auth.authorize(request(LOCAL, bearer('mgmt-secret')), PLAIN)).toBeUndefined();
  });
});

describe('formatGoDuration', () => {
  it('prints like Go time.Duration after rounding to the second', () => {
    expect(formatGoDuration(30 * 60_000)).toBe('30m0s');
    expect(formatGoDuration(29 * 60_000 + 59_400)).toBe('29m59s');
    expect(formatGoDuration(62_000)).toBe('1m2s');
    expect(formatGoDuration(45_000)).toBe('45s');
    expect(formatGoDuration(3_600_000)).toBe('1h0m0s');
    expect(formatGoDuration(0)).toBe('0s');
  });
});
