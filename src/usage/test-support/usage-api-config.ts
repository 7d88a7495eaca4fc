import { clientKeyIdOf } from '../../gateway/attempt-record.ts';

export const KEY_A = 'sk-alpha-0000-aaaa';
export const KEY_B = 'sk-bravo-1111-bbbb';
export const KEY_A_ID = clientKeyIdOf(KEY_A);
export const KEY_B_ID = clientKeyIdOf(KEY_B);
export const CLAUDE_CREDENTIAL = 'claude-api-key[0]';
export const ACME_CREDENTIAL = 'openai-compatibility[0].api-key-entries[0]';
export const UPSTREAM_SECRETS = ['sk-ant-upstream-secret-0001', 'sk-acme-upstream-secret-0002'];

/** Two client keys, a Claude credential (aliased model) and an OpenAI-compatible one, a price override and a default budget. */
export const USAGE_API_CONFIG = `# usage API test config
port: 0
host: 127.0.0.1
api-keys: [${KEY_A}, ${KEY_B}]
remote-management:
  secret-key: mgmt-secret
claude-api-key:
  - api-key: ${UPSTREAM_SECRETS[0]}
    base-url: http://127.0.0.1:9
    models: [{name: claude-sonnet-4-5-20250929, alias: sonnet}]
openai-compatibility:
  - name: acme
    base-url: http://127.0.0.1:9/v1
    api-key-entries: [{api-key: ${UPSTREAM_SECRETS[1]}}]
    models: [{name: acme-large}, {name: gpt-4o}]
pricing:
  # our own deployment
  acme-large: {input: 1, output: 3}
budgets:
  default: {daily-usd: 5}
`;
