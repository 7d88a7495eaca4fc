import { openaiChatAdapter } from './support/clients/openai-chat.ts';
import { defineConformanceSuite } from './support/suite.ts';

defineConformanceSuite(openaiChatAdapter);
