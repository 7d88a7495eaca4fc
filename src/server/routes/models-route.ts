import { encodeGeminiModelsList } from '../../dialects/gemini/models-list.ts';
import { sendJson, type HttpContext } from '../http-context.ts';

/** Seconds since the epoch of the gateway start, as the `created` of listed models. */
function createdOf(context: HttpContext): number {
  return Math.floor(context.runtime.startedAt / 1000);
}

/** Served models, then combos (clients pick a combo by its name like any model). */
function listedModels(context: HttpContext): Array<{ id: string; ownedBy: string }> {
  const models = context.snapshot.registry.list().map((model) => ({ id: model.id, ownedBy: model.ownedBy }));
  const seen = new Set(models.map((model) => model.id));
  for (const combo of context.snapshot.config.combos) if (!seen.has(combo.name)) models.push({ id: combo.name, ownedBy: 'combo' });
  return models;
}

/**
 * `GET /v1/models`: the OpenAI list, or Anthropic's paged list for Claude Code (which sends a
 * `claude-cli/…` user agent and reads `data[].id`, `has_more`, `first_id`, `last_id`).
 */
export function openaiModelsRoute(context: HttpContext): void {
  const models = listedModels(context);
  const created = createdOf(context);
  const userAgent = context.req.headers['user-agent'] ?? '';
  if (userAgent.startsWith('claude-cli') || context.req.headers['anthropic-version'] !== undefined) {
    const createdAt = new Date(context.runtime.startedAt).toISOString();
    sendJson(context, 200, {
      data: models.map((model) => ({ type: 'model', id: model.id, display_name: model.id, created_at: createdAt })),
      has_more: false,
      first_id: models[0]?.id ?? null,
      last_id: models.at(-1)?.id ?? null,
    });
    return;
  }
  sendJson(context, 200, {
    object: 'list',
    data: models.map((model) => ({ id: model.id, object: 'model', created, owned_by: model.ownedBy })),
  });
}

export function geminiModelsRoute(context: HttpContext): void {
  const models = listedModels(context).map((model) => ({ id: model.id, displayName: model.id }));
  sendJson(context, 200, encodeGeminiModelsList(models));
}

export function geminiModelRoute(context: HttpContext): void {
  const id = context.params.model!;
  const list = encodeGeminiModelsList([{ id, displayName: id }]) as { models: unknown[] };
  if (!context.snapshot.registry.resolve(id) && !context.snapshot.combos.isCombo(id)) {
    sendJson(context, 404, { error: { code: 404, message: `model ${id} is not served by this gateway`, status: 'NOT_FOUND' } });
    return;
  }
  sendJson(context, 200, list.models[0]);
}
