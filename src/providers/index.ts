import type { ProviderDefinition } from './provider-definition.ts';
import type { ProviderType } from './provider-type.ts';
import { anthropicProvider } from './anthropic/definition.ts';
import { codexProvider } from './codex/definition.ts';
import { geminiProvider } from './gemini/definition.ts';
import { openaiCompatibleProvider } from './openai-compatible/definition.ts';
import { vertexProvider } from './vertex/definition.ts';

export const providerDefinitions: Record<ProviderType, ProviderDefinition> = {
  'openai-compatibility': openaiCompatibleProvider,
  claude: anthropicProvider,
  gemini: geminiProvider,
  codex: codexProvider,
  vertex: vertexProvider,
};
