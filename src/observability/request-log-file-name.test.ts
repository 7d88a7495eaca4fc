import { describe, expect, it } from 'vitest';
import { requestLogFileName, sanitizeLogPath } from './request-log-file-name.ts';

process.env.TZ = 'UTC';

const AT = new Date(Date.UTC(2025, 0, 15, 9, 5, 7));

describe('request log file names', () => {
  it('names files like CLIProxyAPI: sanitised path, local timestamp, request id', () => {
    expect(requestLogFileName('/v1/chat/completions', 'a1b2c3d4', AT, false)).toBe('v1-chat-completions-2025-01-15T090507-a1b2c3d4.log');
    expect(requestLogFileName('/v1/messages?beta=true', 'a1b2c3d4', AT, true)).toBe('error-v1-messages-2025-01-15T090507-a1b2c3d4.log');
  });

  it('sanitises paths as CLIProxyAPI does', () => {
    expect(sanitizeLogPath('/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse')).toBe('v1beta-models-gemini-2.5-pro-streamGenerateContent');
    expect(sanitizeLogPath('/v1/responses/compact')).toBe('v1-responses-compact');
    expect(sanitizeLogPath('/')).toBe('root');
    expect(sanitizeLogPath('/a//b:::c<>|"*d e')).toBe('a-b-c-d-e');
  });

  it('never lets a path or id leave the directory', () => {
    const name = requestLogFileName('/../../etc/passwd\\x', '../../evil/id', AT, true);
    expect(name).not.toMatch(/[/\\]/);
    expect(name).toBe('error-..-..-etc-passwd-x-2025-01-15T090507-evilid.log');
  });
});
