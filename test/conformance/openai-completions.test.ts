import { openaiCompletionsAdapter } from './support/clients/openai-completions.ts';
import { defineConformanceSuite } from './support/suite.ts';

defineConformanceSuite(openaiCompletionsAdapter);
