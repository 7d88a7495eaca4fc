/** The config written on first start when the user has none: every key commented, safe defaults. */
export const DEFAULT_CONFIG_YAML = `# Switchyard configuration (CLIProxyAPI-compatible config.yaml).
# Edits are picked up while the gateway runs; an invalid edit is rejected and the last good config stays.

# Address and port to listen on. "" listens on all interfaces; the default keeps the gateway local.
host: "127.0.0.1"
port: 8317

# Keys clients must send (Authorization: Bearer, x-api-key, x-goog-api-key or ?key=).
# Empty: only clients on this machine (loopback) are served, without a key.
api-keys: []

# Where OAuth account files live.
auth-dir: "~/.cli-proxy-api"

debug: false
# Upstream proxy for every provider (socks5://, http://, https://); per entry "proxy-url" overrides it.
proxy-url: ""

# Retries: attempts per request, and the longest wait (seconds) for a cooling credential.
request-retry: 3
max-retry-interval: 30

routing:
  strategy: round-robin   # or fill-first

# Record tokens, cost and latency of every request in the embedded database (data dir).
usage-statistics-enabled: true
# Also write logs/main.log (rotated, capped by logs-max-total-size-mb).
logging-to-file: false

# Largest accepted request body in MB.
body-limit-mb: 32

# After this many seconds without a request, give back the memory the last burst of work grew
# (the first requests after it are about 1 ms slower each). 0 = never.
idle-memory-release-seconds: 60

# Providers. Each entry may set base-url, headers, proxy-url, prefix, priority,
# models (name = upstream name, alias = what clients ask for) and excluded-models (globs).
#
# claude-api-key:
#   - api-key: "sk-ant-..."
# gemini-api-key:
#   - api-key: "AIza..."
# codex-api-key:
#   - api-key: "sk-..."
# vertex-api-key:
#   - api-key: "..."
# openai-compatibility:
#   - name: openrouter
#     base-url: https://openrouter.ai/api/v1
#     api-key-entries:
#       - api-key: "sk-or-..."
#     models:
#       - name: moonshotai/kimi-k2
#         alias: kimi-k2
`;
