import { z } from 'zod';
import { sendJson, type HttpContext } from '../../server/http-context.ts';
import { editRunningConfig, ManagementError, managementRoute, readManagementBody } from '../../server/management/management-route.ts';
import { DEFAULT_PRICE_SOURCES, DEFAULT_PRICES, DEFAULT_PRICES_AS_OF } from '../pricing/default-prices.ts';
import type { PriceOverride } from '../../config/types.ts';
import type { ModelPrice, TokenPrices } from '../pricing/model-price.ts';
import { priceOverrideFromYaml, priceOverrideToYaml, type RawPriceEntry } from '../pricing/pricing-config.ts';
import { priceOverrideProblems, type PricingTable } from '../pricing/pricing-table.ts';
import { applyPriceChange, priceChangesOf } from './pricing-body.ts';
import { usageServicesOf } from './usage-services.ts';
import { readYamlSection, writeYamlSectionEntry } from './yaml-section.ts';

const SECTION = 'pricing';
const UNIT = 'USD per 1M tokens';

/** Every price a cost uses, with the fallbacks filled in (cache tokens at the input price, reasoning at the output price). */
function describeTokenPrices(prices: TokenPrices) {
  return {
    input: prices.input,
    output: prices.output,
    cachedInput: prices.cachedInput ?? prices.input,
    cacheWrite: prices.cacheWrite ?? prices.input,
    reasoning: prices.reasoning ?? prices.output,
  };
}

function describePrice(price: ModelPrice) {
  return {
    provider: price.provider,
    ...describeTokenPrices(price),
    ...(price.longContext ? { longContext: { aboveInputTokens: price.longContext.aboveInputTokens, ...describeTokenPrices(price.longContext) } } : {}),
  };
}

function describeTable(pricing: PricingTable) {
  const table = Object.fromEntries(Object.entries(pricing.effective()).map(([model, { price, source }]) => [model, { ...describePrice(price), source }]));
  return { unit: UNIT, defaultsAsOf: DEFAULT_PRICES_AS_OF, overrides: pricing.overrides(), pricing: table };
}

function checked(overrides: Record<string, PriceOverride>): Record<string, PriceOverride> {
  const problems = priceOverrideProblems(overrides);
  if (problems.length > 0) throw new ManagementError(400, `invalid body: ${problems.join('; ')}`);
  return overrides;
}

/**
 * Writes the changed entries of the `pricing:` section (comments elsewhere survive) and makes them
 * live. The change applies to the section as the file has it; the result is checked before anything
 * is written (config validation then checks the file as a whole).
 */
async function saveOverrides(context: HttpContext, change: (current: Record<string, PriceOverride>) => Record<string, PriceOverride>): Promise<void> {
  const { pricing } = usageServicesOf(context);
  const config = await editRunningConfig(context, (document) => {
    const section = readYamlSection(document, SECTION) as Record<string, RawPriceEntry>;
    const current = Object.fromEntries(Object.entries(section).map(([model, entry]) => [model, priceOverrideFromYaml(entry)]));
    const next = checked(change(current));
    for (const model of Object.keys(current)) if (!(model in next)) writeYamlSectionEntry(document, SECTION, model, undefined);
    for (const [model, override] of Object.entries(next)) {
      const yaml = priceOverrideToYaml(override);
      if (!current[model] || JSON.stringify(yaml) !== JSON.stringify(priceOverrideToYaml(current[model]))) writeYamlSectionEntry(document, SECTION, model, yaml);
    }
  });
  pricing.setOverrides(config.pricing);
  sendJson(context, 200, describeTable(pricing));
}

const bodyObject = z.record(z.string().min(1, 'a model name must not be empty'), z.unknown());

/** `GET /api/pricing`: the prices in force per model (built-in, overridden or added), with the overrides as set. */
export const getPricingRoute = managementRoute((context: HttpContext) => {
  sendJson(context, 200, describeTable(usageServicesOf(context).pricing));
});

/**
 * `POST` and `PATCH /api/pricing` `{model: {input?, output?, cachedInput?, cacheWrite?, reasoning?} | null}`:
 * merges into the overrides field by field (null removes a field or, for a model, its override).
 */
export const updatePricingRoute = managementRoute(async (context: HttpContext) => {
  const changes = priceChangesOf(await readManagementBody(context, bodyObject));
  if (changes.size === 0) throw new ManagementError(400, 'invalid body: nothing to change: give {model: {prices}}');
  await saveOverrides(context, (current) => {
    const next = { ...current };
    for (const [model, change] of changes) {
      const updated = change === null ? undefined : applyPriceChange(current[model], change);
      if (updated) next[model] = updated;
      else delete next[model];
    }
    return next;
  });
});

/** `PUT /api/pricing` with the same body: replaces every override. */
export const replacePricingRoute = managementRoute(async (context: HttpContext) => {
  const changes = priceChangesOf(await readManagementBody(context, bodyObject));
  await saveOverrides(context, () => {
    const next: Record<string, PriceOverride> = {};
    for (const [model, change] of changes) {
      const override = change && applyPriceChange(undefined, change);
      if (override) next[model] = override;
    }
    return next;
  });
});

/** `DELETE /api/pricing?model=`: drops one override (404 when there is none), or all of them without `model`. */
export const deletePricingRoute = managementRoute(async (context: HttpContext) => {
  const model = context.query.get('model');
  await saveOverrides(context, (current) => {
    if (model === null) return {};
    if (!(model in current)) throw new ManagementError(404, `no pricing override for ${model}`);
    const { [model]: _removed, ...rest } = current;
    return rest;
  });
});

/** `GET /api/pricing/defaults`: the built-in price list, with its date and sources. */
export const pricingDefaultsRoute = managementRoute((context: HttpContext) => {
  const pricing = Object.fromEntries(
    Object.entries(DEFAULT_PRICES).map(([model, { aliases, ...price }]) => [model, { ...describePrice(price), ...(aliases ? { aliases } : {}) }]),
  );
  sendJson(context, 200, { unit: UNIT, asOf: DEFAULT_PRICES_AS_OF, sources: DEFAULT_PRICE_SOURCES, pricing });
});

/**
 * `GET /api/pricing/models`: every model the gateway serves, with the upstream name it is priced
 * by and the price found (null when unpriced: its cost is recorded as 0).
 */
export const pricingModelsRoute = managementRoute((context: HttpContext) => {
  const { pricing } = usageServicesOf(context);
  const { registry } = context.snapshot;
  const models = registry.list().flatMap((listed) => {
    const upstreams = new Set((registry.resolve(listed.id) ?? []).map((target) => target.upstreamModel));
    return [...upstreams].map((upstreamModel) => {
      const found = pricing.lookup(upstreamModel);
      return {
        id: listed.id,
        provider: listed.provider,
        upstreamModel,
        priced: found !== undefined,
        pricedAs: found?.model ?? null,
        source: found?.source ?? null,
        price: found ? describePrice(found.price) : null,
      };
    });
  });
  sendJson(context, 200, { unit: UNIT, models });
});
