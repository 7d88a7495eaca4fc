import { z } from 'zod';
import type { BudgetConfig } from '../../config/types.ts';
import { clientKeyIdOf } from '../../gateway/attempt-record.ts';
import { maskSecret } from '../../observability/mask-secret.ts';
import { sendJson, type HttpContext } from '../../server/http-context.ts';
import { editRunningConfig, ManagementError, managementRoute, readManagementBody } from '../../server/management/management-route.ts';
import { DEFAULT_BUDGET } from '../budgets.ts';
import { usageServicesOf } from './usage-services.ts';
import { readYamlSection, writeYamlSectionEntry } from './yaml-section.ts';

const SECTION = 'budgets';

/** A limit of 0 or null removes it (OmniRoute treats 0 as "no limit"). */
const limit = z.number().min(0, 'must be ≥ 0').nullable().optional();
const setBody = z
  .strictObject({ apiKeyId: z.string().min(1).optional(), key: z.string().min(1).optional(), dailyLimitUsd: limit, monthlyLimitUsd: limit })
  .refine((body) => (body.apiKeyId === undefined) !== (body.key === undefined), 'give apiKeyId (or "default") or key, not both')
  .refine((body) => body.dailyLimitUsd !== undefined || body.monthlyLimitUsd !== undefined, 'nothing to change: give dailyLimitUsd or monthlyLimitUsd');

/** One entry under `budgets:` in config.yaml. */
interface RawBudgetEntry {
  'daily-usd'?: number;
  'monthly-usd'?: number;
}

function describeLimits(limits: BudgetConfig | undefined) {
  return { dailyLimitUsd: limits?.dailyUsd ?? null, monthlyLimitUsd: limits?.monthlyUsd ?? null };
}

/**
 * The `budgets:` entry a request names: `default`, a configured client key (`key`), or the id of
 * one (`apiKeyId`, as usage records and this API show it). Keys with an entry but no longer in
 * `api-keys` can still be named, so their entry can be removed.
 */
function entryNameOf(target: { apiKeyId?: string; key?: string }, apiKeys: readonly string[], entries: readonly string[]): string {
  if (target.key !== undefined) {
    if (!apiKeys.includes(target.key) && !entries.includes(target.key)) throw new ManagementError(404, 'client key not found in api-keys');
    return target.key;
  }
  if (target.apiKeyId === DEFAULT_BUDGET) return DEFAULT_BUDGET;
  const key = [...apiKeys, ...entries].find((candidate) => candidate !== DEFAULT_BUDGET && clientKeyIdOf(candidate) === target.apiKeyId);
  if (key === undefined) throw new ManagementError(404, `no client key with id ${target.apiKeyId}`);
  return key;
}

function idOfEntry(entry: string): string {
  return entry === DEFAULT_BUDGET ? DEFAULT_BUDGET : clientKeyIdOf(entry);
}

/**
 * `GET /api/usage/budget`: with `?apiKeyId=`, that key's limits, spend today and this month and
 * whether it may start a request (OmniRoute's fields); without, the `default` limits and every key.
 */
export const getBudgetRoute = managementRoute((context: HttpContext) => {
  const { budgets } = usageServicesOf(context);
  const apiKeyId = context.query.get('apiKeyId') ?? context.query.get('apiKey');
  if (apiKeyId !== null) {
    sendJson(context, 200, budgets.status(apiKeyId));
    return;
  }
  const defaults = budgets.defaults();
  sendJson(context, 200, { default: defaults ? describeLimits(defaults) : null, budgets: budgets.statuses() });
});

/**
 * `POST /api/usage/budget` `{apiKeyId | key, dailyLimitUsd?, monthlyLimitUsd?}`: sets (or, with 0
 * or null, removes) a key's limits, or the default ones with `apiKeyId: "default"`; written to
 * config.yaml and enforced at once.
 */
export const setBudgetRoute = managementRoute(async (context: HttpContext) => {
  const { budgets } = usageServicesOf(context);
  const body = await readManagementBody(context, setBody);
  let entry = '';
  const config = await editRunningConfig(context, (document) => {
    const section = readYamlSection(document, SECTION) as Record<string, RawBudgetEntry>;
    entry = entryNameOf(body, context.snapshot.config.apiKeys, Object.keys(section));
    const next: RawBudgetEntry = { ...section[entry] };
    if (body.dailyLimitUsd !== undefined) next['daily-usd'] = body.dailyLimitUsd || undefined;
    if (body.monthlyLimitUsd !== undefined) next['monthly-usd'] = body.monthlyLimitUsd || undefined;
    const written = Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined));
    writeYamlSectionEntry(document, SECTION, entry, Object.keys(written).length > 0 ? written : undefined);
  });
  budgets.configure(config.budgets, config.apiKeys);
  sendJson(context, 200, {
    success: true,
    apiKeyId: idOfEntry(entry),
    apiKeyName: entry === DEFAULT_BUDGET ? DEFAULT_BUDGET : maskSecret(entry),
    budget: describeLimits(config.budgets[entry]),
  });
});

/** `DELETE /api/usage/budget?apiKeyId=` (or `?key=`): removes a key's entry (or `default`); 404 when it has none. */
export const deleteBudgetRoute = managementRoute(async (context: HttpContext) => {
  const { budgets } = usageServicesOf(context);
  const apiKeyId = context.query.get('apiKeyId') ?? undefined;
  const key = context.query.get('key') ?? undefined;
  if ((apiKeyId === undefined) === (key === undefined)) throw new ManagementError(400, 'give ?apiKeyId= (or default) or ?key=');
  let entry = '';
  const config = await editRunningConfig(context, (document) => {
    const entries = Object.keys(readYamlSection(document, SECTION));
    entry = entryNameOf({ apiKeyId, key }, context.snapshot.config.apiKeys, entries);
    if (!entries.includes(entry)) throw new ManagementError(404, `${entry === DEFAULT_BUDGET ? 'the default' : 'this key'} has no budget`);
    writeYamlSectionEntry(document, SECTION, entry, undefined);
  });
  budgets.configure(config.budgets, config.apiKeys);
  sendJson(context, 200, { success: true, apiKeyId: idOfEntry(entry) });
});
