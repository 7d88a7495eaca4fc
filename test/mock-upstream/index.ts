export { startMockUpstream, type MockUpstream } from './server.ts';
export type { CannedResponse, MockErrorSpec, MockUpstreamOptions, MockUsage, RecordedRequest, RequestSummary } from './types.ts';
