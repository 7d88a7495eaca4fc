import { describe, expect, it } from 'vitest';
import { SecretRedactor } from './secret-redactor.ts';

describe('SecretRedactor', () => {
  it('masks every live secret in one pass and follows list changes', () => {
    const redactor = new SecretRedactor();
    expect(redactor.redact('nothing configured sk-live-000111222')).toBe('nothing configured sk-live-000111222');
    redactor.setSecrets(['sk-live-000111222', 'upstream-key-ABCDEFGH']);
    expect(redactor.redact('a=sk-live-000111222 b=upstream-key-ABCDEFGH again sk-live-000111222')).toBe('a=sk-l…1222 b=upst…EFGH again sk-l…1222');
    redactor.setSecrets(['upstream-key-ABCDEFGH']);
    expect(redactor.redact('sk-live-000111222 upstream-key-ABCDEFGH')).toBe('sk-live-000111222 upst…EFGH');
  });

  it('masks the longer of two overlapping secrets whole', () => {
    const redactor = new SecretRedactor();
    redactor.setSecrets(['abcdef123', 'abcdef123456789']);
    expect(redactor.redact('[abcdef123456789] [abcdef123]')).toBe('[abcd…6789] [abcd…f123]');
  });

  it('treats secrets as literals and finds their JSON-escaped form', () => {
    const redactor = new SecretRedactor();
    redactor.setSecrets(['a.b*c+d(e)', 'key"with\\quote']);
    expect(redactor.redact('a.b*c+d(e) aXb*c+d(e)')).toBe('a.b*…d(e) aXb*c+d(e)');
    const line = redactor.redact(JSON.stringify({ msg: 'key"with\\quote' }));
    expect(line).toBe('{"msg":"key\\"…uote"}');
    expect(JSON.parse(line)).toEqual({ msg: 'key"…uote' });
  });

  it('leaves values too short to tell from words alone', () => {
    const redactor = new SecretRedactor();
    redactor.setSecrets(['ccs', '', 'secret-long-enough']);
    expect(redactor.redact('~/.ccs/cliproxy secret-long-enough')).toBe('~/.ccs/cliproxy secr…ough');
  });
});
