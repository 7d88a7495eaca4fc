export type * from './codec.ts';
export type * from './content.ts';
export type * from './dialect-id.ts';
export type * from './finish-reason.ts';
export type * from './message.ts';
export type * from './request.ts';
export type * from './response.ts';
export type * from './stream-part.ts';
export type * from './tool.ts';
export type * from './usage.ts';
export type * from './reasoning.ts';
export { GatewayError, invalidRequest, codeForStatus } from './gateway-error.ts';
export { emptyUsage, mergeUsage, totalTokens } from './usage.ts';
export {
  effortToBudget,
  budgetToEffort,
  resolveReasoningBudget,
  resolveReasoningEffort,
  isReasoningEffort,
} from './reasoning.ts';
export { StreamCollector, collectStream, responseToStreamParts } from './collect-stream.ts';
