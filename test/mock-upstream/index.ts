export { startMockUpstream, type MockUpstream } from './server.ts';
export type { CannedResponse, MockErrorSpec, MockUpstreamOptions, RecordedRequest, RequestSummary } from './types.ts';
