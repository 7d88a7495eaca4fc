import { Pool, ProxyAgent, Socks5ProxyAgent } from 'undici';
import { afterEach, expect, it } from 'vitest';
import { UpstreamDispatchers } from './upstream-dispatchers.ts';

const dispatchers = new UpstreamDispatchers();
afterEach(() => dispatchers.close());

it("builds its dispatchers from the very classes undici's index exports (it loads them from undici's files)", () => {
  expect(dispatchers.get('http://127.0.0.1:9', undefined)).toBeInstanceOf(Pool);
  expect(dispatchers.get('http://127.0.0.1:9', 'http://127.0.0.1:8')).toBeInstanceOf(ProxyAgent);
  expect(dispatchers.get('http://127.0.0.1:9', 'socks5://127.0.0.1:7')).toBeInstanceOf(Socks5ProxyAgent);
  expect(dispatchers.get('http://127.0.0.1:9', 'socks://127.0.0.1:7')).toBeInstanceOf(Socks5ProxyAgent);
});

it('keeps one dispatcher per origin and proxy', () => {
  const direct = dispatchers.get('http://127.0.0.1:9', undefined);
  expect(dispatchers.get('http://127.0.0.1:9', undefined)).toBe(direct);
  expect(dispatchers.get('http://127.0.0.1:9', 'http://127.0.0.1:8')).not.toBe(direct);
  expect(dispatchers.get('http://127.0.0.1:10', undefined)).not.toBe(direct);
});
