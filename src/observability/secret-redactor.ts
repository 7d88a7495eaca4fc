import { maskSecret } from './mask-secret.ts';

/**
 * Shorter values collide with ordinary words and paths (`ccs`, `test`): masking them in free text
 * would garble every log line. They are still masked where their position says they are secrets
 * (auth headers, `?key=`), see mask-request-secrets.ts.
 */
export const MIN_REDACTED_SECRET_LENGTH = 6;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replaces every live secret (client keys, upstream keys, management key, OAuth tokens) in a text
 * by its masked form, in one pass: the secrets are compiled into a single alternation, rebuilt
 * only when the list changes. Shared by the application log and the request log files.
 */
export class SecretRedactor {
  private pattern: RegExp | undefined;
  private masks = new Map<string, string>();

  setSecrets(secrets: Iterable<string>): void {
    const masks = new Map<string, string>();
    for (const secret of secrets) {
      if (secret.length < MIN_REDACTED_SECRET_LENGTH) continue;
      const masked = maskSecret(secret);
      masks.set(secret, masked);
      // Inside a JSON log line a secret with quotes or backslashes appears escaped; its mask must be too.
      const escaped = JSON.stringify(secret).slice(1, -1);
      if (escaped !== secret) masks.set(escaped, JSON.stringify(masked).slice(1, -1));
    }
    // Longest first, so a secret that contains another one is masked whole.
    const alternatives = [...masks.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.masks = masks;
    this.pattern = alternatives.length > 0 ? new RegExp(alternatives.join('|'), 'g') : undefined;
  }

  redact(text: string): string {
    const { pattern, masks } = this;
    if (!pattern) return text;
    return text.replace(pattern, (match) => masks.get(match) ?? match);
  }
}
