/**
 * Switchyard's own conversation compaction, for upstreams that have none. OpenAI's compaction item
 * carries opaque `encrypted_content`; ours carries the summary text under a recognisable prefix, so
 * when the client sends the item back it can be turned into a plain message any model can read.
 */
const PREFIX = 'switchyard.compaction.v1:';

/** Appended as the last user turn when a conversation must be compacted. */
export const COMPACTION_PROMPT = [
  'The conversation above is about to be compacted: everything except the user messages will be replaced by',
  'the summary you write now, and the work will then continue from that summary alone.',
  '',
  'Write a handoff summary for the assistant that will continue. Do not call any tools. Cover:',
  '- the user goals, constraints and explicit preferences;',
  '- what has been done so far, with the concrete names involved (files, functions, commands, values);',
  '- decisions taken and the reasons for them;',
  '- errors or open problems, and what was already tried;',
  '- the exact next steps.',
  '',
  'Be specific and concise. Reply with the summary only.',
].join('\n');

/** Put before a summary when it is replayed to the model, so the model knows what the text is. */
export const COMPACTION_SUMMARY_HEADING =
  'Summary of the earlier part of this conversation, written when its context was compacted:';

export function encodeCompactionContent(summary: string): string {
  return PREFIX + Buffer.from(summary, 'utf8').toString('base64');
}

/** The summary text, or `undefined` when the content is OpenAI's own (opaque) compaction. */
export function decodeCompactionContent(encrypted: string): string | undefined {
  if (!encrypted.startsWith(PREFIX)) return undefined;
  return Buffer.from(encrypted.slice(PREFIX.length), 'base64').toString('utf8');
}

export function compactionSummaryMessageText(summary: string): string {
  return `${COMPACTION_SUMMARY_HEADING}\n\n${summary}`;
}
