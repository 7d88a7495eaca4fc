import { describe, expect, it } from 'vitest';
import { matchRoute } from './route-table.ts';

describe('matchRoute', () => {
  it('treats a malformed percent escape as an unknown path instead of throwing', () => {
    expect(() => matchRoute('POST', '/v1beta/models/%E0:generateContent')).not.toThrow();
    expect(matchRoute('POST', '/v1beta/models/%E0:generateContent')).toBeUndefined();
    expect(matchRoute('PATCH', '/api/combos/%E0%A4%A')).toBeUndefined();
  });

  it('marks management routes and decodes the combo name', () => {
    expect(matchRoute('GET', '/api/resilience')?.route.management).toBe(true);
    expect(matchRoute('GET', '/v1/models')?.route.management).toBeUndefined();
    const patch = matchRoute('PATCH', '/api/combos/team%2Fmix');
    expect(patch?.route.management).toBe(true);
    expect(patch?.params).toEqual({ id: 'team/mix' });
    expect(matchRoute('DELETE', '/api/combos/a/b')).toBeUndefined();
    expect(matchRoute('GET', '/api/combos/x')).toBeUndefined();
    expect(matchRoute('GET', '/api/combos/metrics')?.route.management).toBe(true);
  });
});
