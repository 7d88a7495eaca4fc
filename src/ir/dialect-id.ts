/** The wire formats Switchyard speaks, as a client dialect or as an upstream dialect. */
export type DialectId = 'openai-chat' | 'openai-responses' | 'anthropic-messages' | 'gemini';

/**
 * Dialect-only data that rides along on IR objects so that a round trip through the same
 * dialect is lossless (thinking signatures, cache_control, encrypted reasoning, ...).
 * A codec only reads its own key and must ignore the others.
 */
export type Extensions = Partial<Record<DialectId, Record<string, unknown>>>;
