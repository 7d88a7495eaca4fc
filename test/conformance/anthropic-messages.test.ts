import { anthropicMessagesAdapter } from './support/clients/anthropic-messages.ts';
import { defineConformanceSuite } from './support/suite.ts';

defineConformanceSuite(anthropicMessagesAdapter);
