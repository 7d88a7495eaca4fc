import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const seed = randomBytes(16);
let counter = 0;

/**
 * An id of `length` alphanumeric characters after `prefix`: unique within the process and cheap,
 * because a load test asks for several per request.
 */
export function mockId(prefix: string, length: number): string {
  let n = ++counter;
  let id = prefix;
  for (let i = 0; i < length; i++) {
    const digit = i < 8 ? n % 62 : seed[i % seed.length] % 62;
    if (i < 8) n = Math.floor(n / 62);
    id += ALPHABET[(digit + seed[(i + 3) % seed.length]) % 62];
  }
  return id;
}

/** Base64 that carries its origin, so a provider can tell its own signatures from foreign ones. */
export function mockSignature(origin: string, text: string): string {
  return Buffer.from(`${origin}:${text.length}:${mockId('', 24)}`).toString('base64');
}

export function isMockSignature(origin: string, signature: unknown): boolean {
  return typeof signature === 'string' && Buffer.from(signature, 'base64').toString().startsWith(`${origin}:`);
}

export function anthropicMockRequestId(): string {
  return mockId('req_011', 21);
}
