import { openaiResponsesAdapter } from './support/clients/openai-responses.ts';
import { defineConformanceSuite } from './support/suite.ts';

defineConformanceSuite(openaiResponsesAdapter);
