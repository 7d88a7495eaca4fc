/** Provider kinds, named after the config.yaml section that declares them. */
export type ProviderType = 'openai-compatibility' | 'claude' | 'gemini' | 'codex' | 'vertex';
