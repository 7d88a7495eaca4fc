import { geminiAdapter } from './support/clients/gemini.ts';
import { defineConformanceSuite } from './support/suite.ts';

defineConformanceSuite(geminiAdapter);
