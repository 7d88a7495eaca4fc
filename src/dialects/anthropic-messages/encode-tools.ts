import type { JsonSchema, ToolChoice, ToolDefinition } from '../../ir/tool.ts';
import type { AnthropicRequestExtension, WireBlock } from './extensions.ts';
import { partFields } from './encode-blocks.ts';

/** Claude requires an object schema at the top of input_schema. */
function objectSchema(schema: JsonSchema): JsonSchema {
  if (schema.type === 'object') return schema;
  if (schema.type === undefined) return { type: 'object', properties: {}, ...schema };
  // A non-object root has no faithful object form; Claude's own error says more than a rewritten schema.
  return schema;
}

/**
 * Client tools, plus the client's server tools put back at their positions. `strict` is forwarded only
 * through the kept fields (a Claude client sent it): OpenAI clients set strict routinely, and older Claude
 * models reject tools that ask for it.
 */
export function encodeAnthropicTools(
  tools: readonly ToolDefinition[] | undefined,
  extension: AnthropicRequestExtension | undefined,
): WireBlock[] {
  const wire: WireBlock[] = [];
  for (const tool of tools ?? []) {
    const block: WireBlock = { name: tool.name };
    if (tool.description !== undefined) block.description = tool.description;
    block.input_schema = objectSchema(tool.parameters);
    wire.push(Object.assign(block, partFields(tool.extensions)));
  }
  for (const { position, tool } of extension?.serverTools ?? []) wire.splice(Math.min(position, wire.length), 0, tool);
  return wire;
}

export function encodeAnthropicToolChoice(
  choice: ToolChoice | undefined,
  parallelToolCalls: boolean | undefined,
): WireBlock | undefined {
  let wire: WireBlock | undefined;
  switch (choice?.type) {
    case 'auto':
      wire = { type: 'auto' };
      break;
    case 'required':
      wire = { type: 'any' };
      break;
    case 'tool':
      wire = { type: 'tool', name: choice.name };
      break;
    case 'none':
      // `none` takes no disable_parallel_tool_use: no tool runs at all.
      return { type: 'none' };
  }
  if (parallelToolCalls === false) {
    wire ??= { type: 'auto' };
    wire.disable_parallel_tool_use = true;
  }
  return wire;
}
