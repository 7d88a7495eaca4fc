import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../ir/gateway-error.ts';
import { ClientAuthenticator, isLoopback } from './client-auth.ts';

function fakeRequest(remoteAddress: string, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

const none = new URLSearchParams();

describe('ClientAuthenticator', () => {
  it('serves loopback clients without a key when no api-keys are configured, and refuses others', () => {
    const open = new ClientAuthenticator([]);
    expect(open.authenticate(fakeRequest('127.0.0.1'), none)).toBe('');
    expect(open.authenticate(fakeRequest('::ffff:127.0.0.1'), none)).toBe('');
    expect(open.authenticate(fakeRequest('::1'), none)).toBe('');
    expect(() => open.authenticate(fakeRequest('192.0.2.10', { 'x-forwarded-for': '127.0.0.1' }), none)).toThrow(
      expect.objectContaining({ status: 403, code: 'permission_error' }),
    );
  });

  it('accepts the key wherever SDKs send it', () => {
    const auth = new ClientAuthenticator(['k1']);
    const remote = '192.0.2.10';
    expect(auth.authenticate(fakeRequest(remote, { authorization: 'Bearer k1' }), none)).toBe('k1');
    expect(auth.authenticate(fakeRequest(remote, { 'x-api-key': 'k1' }), none)).toBe('k1');
    expect(auth.authenticate(fakeRequest(remote, { 'x-goog-api-key': 'k1' }), none)).toBe('k1');
    expect(auth.authenticate(fakeRequest(remote), new URLSearchParams('key=k1'))).toBe('k1');
    expect(auth.authenticate(fakeRequest(remote), new URLSearchParams('auth_token=k1'))).toBe('k1');
  });

  it('requires a valid key from every client, loopback included, once keys are configured', () => {
    const auth = new ClientAuthenticator(['k1']);
    const missing = () => auth.authenticate(fakeRequest('127.0.0.1'), none);
    expect(missing).toThrow(GatewayError);
    expect(missing).toThrow('Missing API key');
    expect(() => auth.authenticate(fakeRequest('127.0.0.1', { authorization: 'Bearer k2' }), none)).toThrow('Invalid API key');
  });

  it('recognises loopback addresses only', () => {
    expect(isLoopback('127.8.9.1')).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });
});
