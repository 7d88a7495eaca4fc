export type UnifiedFinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

/** `raw` keeps the upstream's own value so a same-dialect round trip can restore it (e.g. Anthropic `stop_sequence`). */
export interface FinishReason {
  unified: UnifiedFinishReason;
  raw?: string;
  /** The stop sequence that ended generation, when the upstream says which. */
  stopSequence?: string;
}
