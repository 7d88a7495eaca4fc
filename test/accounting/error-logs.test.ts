import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { startMockUpstream, type MockUpstream } from '../mock-upstream/index.ts';
import type { GatewayProcess } from '../support/start-gateway.ts';
import { sendClientCall, type ClientCall } from './support/client-dialects.ts';
import { GatewayFleet } from './support/gateway-fleet.ts';
import { ManagementClient, waitFor, type HttpAnswer } from './support/management-client.ts';

const MANAGEMENT_KEY = 'mgmt-errs-secret-7d2a91c4';
const CLIENT_KEY = 'sk-errs-client-3b6f0e8a52';
const UPSTREAM_KEYS = { openai: 'test-errs-openai-c4e1a7', claude: 'test-errs-claude-58b2d0' };
const SECRETS = [MANAGEMENT_KEY, CLIENT_KEY, ...Object.values(UPSTREAM_KEYS)];
const MAX_ERROR_LOGS = 3;

/** CCS's parsers, as it runs them on the files it reads from disk. */
const CCS_MODEL = /"model"\s*:\s*"([^"]+)"/;
const CCS_STATUS = /Status:\s*(\d{3})/;

let mock: MockUpstream;
const fleet = new GatewayFleet();
let gateway: GatewayProcess;
let management: ManagementClient;

beforeAll(async () => {
  mock = await startMockUpstream();
  gateway = await fleet.start(`port: 0
host: 127.0.0.1
api-keys: [${CLIENT_KEY}]
remote-management: {secret-key: ${MANAGEMENT_KEY}}
logging-to-file: true
error-logs-max-files: ${MAX_ERROR_LOGS}
disable-cooling: true
openai-compatibility:
  - name: mockai
    base-url: ${mock.url}/v1
    api-key-entries: [{api-key: ${UPSTREAM_KEYS.openai}}]
    models: [{name: errs-openai-model, alias: via-openai}]
claude-api-key:
  - api-key: ${UPSTREAM_KEYS.claude}
    base-url: ${mock.url}
    models: [{name: errs-claude-model, alias: via-claude}]
`);
  management = new ManagementClient(gateway.url, MANAGEMENT_KEY);
});
afterAll(async () => {
  await fleet.cleanup();
  await mock.close();
});

function requestIdOf(answer: HttpAnswer): string {
  const id = answer.headers['x-request-id'];
  if (typeof id !== 'string' || id === '') throw new Error('no x-request-id');
  return id;
}

async function send(call: Omit<ClientCall, 'key'>): Promise<{ answer: HttpAnswer; requestId: string }> {
  const answer = await sendClientCall(gateway.url, { ...call, key: CLIENT_KEY });
  return { answer, requestId: requestIdOf(answer) };
}

interface ErrorLogList {
  files: Array<{ name: string; size: number; modified: number }>;
}

/** The error log of a request, as CCS finds it: by name from the management list, content straight from disk. */
async function errorLogOnDisk(requestId: string): Promise<{ name: string; size: number; bytes: Buffer }> {
  const list = await waitFor(
    `the error log of ${requestId}`,
    () => management.json<ErrorLogList>('/v0/management/request-error-logs'),
    (found) => found.files.some((file) => file.name.endsWith(`-${requestId}.log`)),
  );
  const entry = list.files.find((file) => file.name.endsWith(`-${requestId}.log`))!;
  return { ...entry, bytes: await readFile(join(gateway.dir, 'logs', entry.name)) };
}

function sectionHeaders(text: string): string[] {
  return text.split('\n').filter((line) => /^=== .+ ===$/.test(line));
}

function ccsReading(bytes: Buffer): { model: string | undefined; status: string | undefined } {
  return {
    model: CCS_MODEL.exec(bytes.subarray(0, 4096).toString('utf8'))?.[1],
    status: CCS_STATUS.exec(bytes.subarray(Math.max(0, bytes.length - 2048)).toString('utf8'))?.[1],
  };
}

/** The `=== RESPONSE ===` section must be the file's last, opening with the status the client got. */
function expectResponseSectionLast(text: string, status: number): void {
  const start = text.lastIndexOf('=== RESPONSE ===\n');
  expect(start).toBeGreaterThan(0);
  const section = text.slice(start);
  expect(section.startsWith(`=== RESPONSE ===\nStatus: ${status}\n`)).toBe(true);
  expect(sectionHeaders(section)).toEqual(['=== RESPONSE ===']);
  expect([...text.matchAll(/^Status: (\d{3})$/gm)].at(-1)?.[1]).toBe(String(status));
}

describe('error log files in CLIProxyAPI format', () => {
  it('a request the upstream refuses gets an error-*.log with every section in order, readable by CCS', async () => {
    // A large prompt pushes the upstream body far from both ends of the file, where CCS looks.
    const filler = 'lorem ipsum '.repeat(600);
    const { answer, requestId } = await send({ dialect: 'anthropic-messages', model: 'via-openai', prompt: `[[mock:error 400 message="that prompt is not allowed"]] ${filler}`, stream: false });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ type: 'error', error: { message: 'that prompt is not allowed' } });

    const log = await errorLogOnDisk(requestId);
    expect(log.name).toMatch(new RegExp(`^error-v1-messages-\\d{4}-\\d{2}-\\d{2}T\\d{6}-${requestId}\\.log$`));
    expect(log.size).toBe(log.bytes.length);
    const text = log.bytes.toString('utf8');
    expect(sectionHeaders(text)).toEqual([
      '=== REQUEST INFO ===',
      '=== HEADERS ===',
      '=== REQUEST BODY ===',
      '=== API REQUEST 1 ===',
      '=== API ERROR RESPONSE ===',
      '=== API RESPONSE 1 ===',
      '=== RESPONSE ===',
    ]);
    expect(text.startsWith(`=== REQUEST INFO ===\nVersion: ${packageJson.version}\nURL: /v1/messages\nMethod: POST\n`)).toBe(true);
    expect(text).toMatch(/^Timestamp: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/m);
    expect(text).toContain(`X-Api-Key: ${CLIENT_KEY.slice(0, 4)}…${CLIENT_KEY.slice(-4)}`);
    expect(text).toContain('=== API ERROR RESPONSE ===\nHTTP Status: 400\n');
    // The upstream attempt: where it went and what the upstream answered.
    expect(text).toContain(`Upstream URL: ${mock.url}/v1/chat/completions`);
    expect(text).toMatch(/=== API RESPONSE 1 ===\nTimestamp: .+\n\nStatus: 400\n/);
    expect(text).toContain('that prompt is not allowed');
    expectResponseSectionLast(text, 400);
    expect(log.bytes.length).toBeGreaterThan(4096 + 2048);
    expect(ccsReading(log.bytes)).toEqual({ model: 'via-openai', status: '400' });
  });

  it('a request refused before any upstream attempt gets one too, without API sections', async () => {
    const { answer, requestId } = await send({ dialect: 'gemini', model: 'no-such-model', prompt: 'who serves this?', stream: true });
    expect(answer.status).toBe(502);
    const log = await errorLogOnDisk(requestId);
    expect(log.name).toMatch(/^error-v1beta-models-no-such-model-streamGenerateContent-\d{4}-\d{2}-\d{2}T\d{6}-/);
    const text = log.bytes.toString('utf8');
    expect(sectionHeaders(text)).toEqual(['=== REQUEST INFO ===', '=== HEADERS ===', '=== REQUEST BODY ===', '=== API ERROR RESPONSE ===', '=== RESPONSE ===']);
    // The key came in the query string: the URL line shows it masked.
    expect(text).toMatch(/^URL: \/v1beta\/models\/no-such-model:streamGenerateContent\?alt=sse&key=\S+$/m);
    expectResponseSectionLast(text, 502);
    // Gemini bodies carry the model in the URL only; CCS finds no model, but still the status.
    expect(ccsReading(log.bytes).status).toBe('502');
  });

  it('a successful request leaves no log file while request-log is off', async () => {
    const { answer, requestId } = await send({ dialect: 'openai-chat', model: 'via-claude', prompt: 'all fine', stream: false });
    expect(answer.status).toBe(200);
    // Let the failed requests before it be written, then make sure nothing names this one.
    await waitFor('queued log files written', () => management.json<ErrorLogList>('/v0/management/request-error-logs'), (list) => list.files.length >= 2);
    expect((await management.call('GET', `/v0/management/request-log-by-id/${requestId}`)).status).toBe(404);
    expect((await readdir(join(gateway.dir, 'logs'))).filter((name) => name.includes(requestId))).toEqual([]);
  });

  it(`keeps only the newest ${MAX_ERROR_LOGS} error logs after many failures`, async () => {
    const ids: string[] = [];
    for (let index = 0; index < 8; index++) {
      const { answer, requestId } = await send({
        dialect: index % 2 ? 'openai-responses' : 'openai-chat',
        model: 'via-claude',
        prompt: `[[mock:error 400 message="refusal ${index}"]] number ${index}`,
        stream: index % 3 === 0,
      });
      expect(answer.status).toBe(400);
      ids.push(requestId);
    }
    const onDisk = async () => (await readdir(join(gateway.dir, 'logs'))).filter((name) => name.startsWith('error-') && name.endsWith('.log'));
    // Every failure was written (the newest is there), then retention trimmed the directory.
    const listed = await waitFor(
      'error logs trimmed to the cap',
      async () => ({ list: (await management.json<ErrorLogList>('/v0/management/request-error-logs')).files.map((file) => file.name), disk: await onDisk() }),
      ({ list, disk }) => list.length <= MAX_ERROR_LOGS && disk.length <= MAX_ERROR_LOGS && disk.some((name) => name.endsWith(`-${ids.at(-1)}.log`)),
    );
    expect(listed.disk).toHaveLength(MAX_ERROR_LOGS);
    expect(listed.disk.map((name) => ids.find((id) => name.endsWith(`-${id}.log`))).sort()).toEqual(ids.slice(-MAX_ERROR_LOGS).sort());
    expect(listed.list.sort()).toEqual(listed.disk.sort());
    // main.log is never counted among them.
    expect(await readdir(join(gateway.dir, 'logs'))).toContain('main.log');
  });

  it('no client, upstream or management key appears in any file under the data dir or in what the gateway printed', async () => {
    await fleet.stop(gateway);
    expect((await fleet.scannedFiles()).filter((file) => /error-.*\.log$/.test(file))).toHaveLength(MAX_ERROR_LOGS);
    expect(await fleet.findSecrets(SECRETS)).toEqual([]);
  });
});
