import { maskSecret } from './mask-secret.ts';

/** Header names that carry credentials, by CLIProxyAPI's rule (name contains one of these) plus cookies and `*-key`. */
const SENSITIVE_HEADER_PARTS = ['api-key', 'apikey', 'token', 'secret', 'cookie'];

/** Query parameters that carry credentials (`?key=` is how Gemini clients send theirs). */
const SENSITIVE_QUERY_NAMES = new Set(['key', 'api_key', 'apikey', 'api-key', 'auth_token', 'access_token', 'token']);

/** `Authorization: Bearer sk-…` keeps its scheme; everything else sensitive is masked whole. */
export function maskHeaderValue(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower.includes('authorization')) {
    const trimmed = value.trim();
    const space = trimmed.indexOf(' ');
    return space === -1 ? maskSecret(trimmed) : `${trimmed.slice(0, space)} ${maskSecret(trimmed.slice(space + 1).trim())}`;
  }
  return lower.endsWith('-key') || SENSITIVE_HEADER_PARTS.some((part) => lower.includes(part)) ? maskSecret(value) : value;
}

function isSensitiveQueryName(name: string): boolean {
  const lower = name.toLowerCase();
  return SENSITIVE_QUERY_NAMES.has(lower) || lower.includes('secret') || lower.includes('password');
}

function decodeQueryPart(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return part;
  }
}

/** Masks credential query parameters of a URL or path; the rest of the URL is kept byte for byte. */
export function maskUrlSecrets(url: string): string {
  const question = url.indexOf('?');
  if (question === -1) return url;
  const hash = url.indexOf('#', question);
  const query = url.slice(question + 1, hash === -1 ? undefined : hash);
  let changed = false;
  const parts = query.split('&').map((part) => {
    const equals = part.indexOf('=');
    if (equals === -1 || !isSensitiveQueryName(decodeQueryPart(part.slice(0, equals)))) return part;
    changed = true;
    return `${part.slice(0, equals)}=${maskSecret(decodeQueryPart(part.slice(equals + 1)))}`;
  });
  if (!changed) return url;
  return `${url.slice(0, question + 1)}${parts.join('&')}${hash === -1 ? '' : url.slice(hash)}`;
}
