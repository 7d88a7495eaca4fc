import type { EncodeResponseContext } from '../../ir/codec.ts';
import type { AssistantContentPart, ReasoningPart, TextPart, ToolCallPart } from '../../ir/content.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import type { CanonicalResponse } from '../../ir/response.ts';
import { encodeCompactionContent } from './compaction-summary.ts';
import { customToolInput } from './decode-items.ts';
import { customToolNames } from './encode-tools.ts';
import { extensionFlag, extensionString } from './extensions.ts';
import { newResponsesId, responsesIdWithPrefix } from './ids.ts';
import { encodeResponsesStatus } from './map-finish-reason.ts';
import { encodeResponsesUsage } from './map-usage.ts';
import {
  compactionItem,
  customToolCallItem,
  functionCallItem,
  messageContentPart,
  messageItem,
  reasoningEncryptedContent,
  reasoningItem,
  reasoningItemId,
  summaryTextPart,
  toolCallItemIdentity,
} from './output-items.ts';
import { buildResponseObject } from './response-object.ts';

type Item = Record<string, unknown>;

function textContent(part: TextPart): Item {
  return messageContentPart(part.text, extensionFlag(part.extensions, 'refusal'));
}

function reasoningOutput(part: ReasoningPart): Item {
  const summary = part.extensions?.['openai-responses']?.summary;
  return reasoningItem(
    reasoningItemId(part),
    Array.isArray(summary) ? summary : part.text === '' ? [] : [summaryTextPart(part.text)],
    reasoningEncryptedContent(part),
  );
}

function toolCallOutput(part: ToolCallPart, customNames: Set<string>): Item {
  const { custom, id } = toolCallItemIdentity(part.extensions, part.name, customNames);
  return custom
    ? customToolCallItem(id, 'completed', part.id, part.name, customToolInput(part.arguments))
    : functionCallItem(id, 'completed', part.id, part.name, part.arguments);
}

/** Consecutive text parts of one upstream message stay one message item. */
export function encodeOutputItems(content: AssistantContentPart[], request: CanonicalRequest): Item[] {
  const customNames = customToolNames(request);
  const items: Item[] = [];
  let message: { id: string | undefined; content: Item[] } | undefined;
  for (const part of content) {
    if (part.type === 'text') {
      const id = extensionString(part.extensions, 'id');
      if (message && (id === undefined || id === message.id)) {
        message.content.push(textContent(part));
      } else {
        message = { id, content: [textContent(part)] };
        items.push(messageItem(responsesIdWithPrefix(id, 'msg_'), 'completed', message.content));
      }
      continue;
    }
    message = undefined;
    items.push(part.type === 'reasoning' ? reasoningOutput(part) : toolCallOutput(part, customNames));
  }
  return items;
}

/** A compaction turn (`compaction_trigger`) answers with one compaction item holding the summary. */
export function isCompactionTurn(request: CanonicalRequest): boolean {
  return extensionFlag(request.extensions, 'compactionTrigger');
}

function compactionOutput(content: AssistantContentPart[]): Item[] {
  let summary = '';
  for (const part of content) if (part.type === 'text') summary += part.text;
  return [compactionItem(newResponsesId('cmp_'), encodeCompactionContent(summary))];
}

export function encodeResponsesResponse(response: CanonicalResponse, context: EncodeResponseContext): unknown {
  const output = isCompactionTurn(context.request)
    ? compactionOutput(response.content)
    : encodeOutputItems(response.content, context.request);
  return buildResponseObject(
    {
      id: responsesIdWithPrefix(response.id, 'resp_'),
      createdAt: response.created,
      ...encodeResponsesStatus(response.finishReason),
      output,
      usage: encodeResponsesUsage(response.usage),
    },
    context,
  );
}
