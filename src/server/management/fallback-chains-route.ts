import { isMap, YAMLMap, type Document } from 'yaml';
import { z } from 'zod';
import { sendJson, type HttpContext } from '../http-context.ts';
import { editRunningConfig, ManagementError, managementRoute, readManagementBody } from './management-route.ts';

/**
 * A chain step: a model name, or OmniRoute's `{provider, priority, enabled}` object. Switchyard's
 * chains are lists of models the registry routes, so an object names its step with `model`, or
 * with `provider` as OmniRoute's dashboard sends it.
 */
const step = z.union([
  z.string().trim().min(1, 'must not be empty'),
  z
    .strictObject({
      model: z.string().trim().min(1).optional(),
      provider: z.string().trim().min(1).optional(),
      priority: z.number().int().optional(),
      enabled: z.boolean().optional(),
    })
    .refine((value) => value.model !== undefined || value.provider !== undefined, 'a chain step needs a model'),
]);
const createBody = z.strictObject({ model: z.string().trim().min(1, 'must not be empty'), chain: z.array(step).min(1, 'a chain needs at least one model') });
const deleteBody = z.strictObject({ model: z.string().trim().min(1, 'must not be empty').optional() });

/** Steps in priority order (stable for equal or missing priorities), disabled ones dropped. */
function chainModels(steps: z.infer<typeof step>[]): string[] {
  return steps
    .map((entry, index) => (typeof entry === 'string' ? { model: entry, priority: 0, index, enabled: true } : { model: (entry.model ?? entry.provider)!, priority: entry.priority ?? 0, index, enabled: entry.enabled !== false }))
    .filter((entry) => entry.enabled)
    .sort((a, b) => a.priority - b.priority || a.index - b.index)
    .map((entry) => entry.model);
}

function chainsMap(document: Document, create: boolean): YAMLMap | undefined {
  const node = document.get('fallback-chains');
  if (isMap(node)) return node;
  if (!create) return undefined;
  const map = new YAMLMap();
  document.set('fallback-chains', map);
  return map;
}

/** `GET /api/fallback/chains` → `{"chains": {model: [models...]}}`. */
export const listFallbackChainsRoute = managementRoute((context: HttpContext) => {
  sendJson(context, 200, { chains: context.runtime.snapshot.config.fallbackChains });
});

/** `POST /api/fallback/chains {"model", "chain"}`: creates or replaces the chain of `model`. */
export const saveFallbackChainRoute = managementRoute(async (context: HttpContext) => {
  const body = await readManagementBody(context, createBody);
  const chain = chainModels(body.chain);
  if (chain.length === 0) throw new ManagementError(400, 'invalid body: chain: every step is disabled');
  if (chain.includes(body.model)) throw new ManagementError(400, `invalid body: chain: the chain of ${body.model} must not contain ${body.model} itself`);
  const config = await editRunningConfig(context, (document) => {
    const map = chainsMap(document, true)!;
    map.flow = false;
    map.set(body.model, document.createNode(chain));
  });
  sendJson(context, 200, { success: true, model: body.model, chain: config.fallbackChains[body.model] });
});

/** `DELETE /api/fallback/chains` with `{"model"}` (or `?model=`). */
export const deleteFallbackChainRoute = managementRoute(async (context: HttpContext) => {
  const body = await readManagementBody(context, deleteBody);
  const model = body.model ?? context.query.get('model');
  if (!model) throw new ManagementError(400, 'invalid body: model: give the model whose chain to delete');
  await editRunningConfig(context, (document) => {
    const map = chainsMap(document, false);
    if (!map?.has(model)) throw new ManagementError(404, `no fallback chain for model "${model}"`);
    map.delete(model);
  });
  sendJson(context, 200, { success: true });
});
