import { isMap, isSeq, YAMLSeq, type Document, type YAMLMap } from 'yaml';
import { z } from 'zod';
import type { ComboConfig } from '../../config/types.ts';
import { COMBO_STRATEGY_NAMES, type ComboTarget } from '../../routing/strategies/combo-strategy.ts';
import { sendJson, type HttpContext } from '../http-context.ts';
import { editRunningConfig, ManagementError, managementRoute, readManagementBody } from './management-route.ts';

const target = z.union([
  z.string().trim().min(1, 'must not be empty'),
  z.strictObject({ model: z.string().trim().min(1, 'must not be empty'), weight: z.number().positive().optional() }),
]);
const targets = z.array(target).min(1, 'a combo needs at least one target');
const name = z.string().trim().min(1, 'must not be empty');
const strategy = z.enum(COMBO_STRATEGY_NAMES);

/** `models` is OmniRoute's name for the targets; either is accepted. */
const createBody = z.strictObject({ name, strategy: strategy.optional(), targets: targets.optional(), models: targets.optional(), description: z.string().optional() });
const updateBody = z
  .strictObject({
    name: name.optional(),
    strategy: strategy.optional(),
    targets: targets.optional(),
    models: targets.optional(),
    description: z.string().nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'nothing to change: give name, strategy, targets or description');

type TargetInput = z.infer<typeof target>;

/** A combo as the API shows it; `id` is its name (names are unique, and the config has no other key). */
function describeCombo(combo: ComboConfig) {
  return { id: combo.name, name: combo.name, strategy: combo.strategy, targets: combo.targets, ...(combo.description !== undefined ? { description: combo.description } : {}) };
}

function targetsOf(body: { targets?: TargetInput[]; models?: TargetInput[] }): TargetInput[] | undefined {
  if (body.targets && body.models) throw new ManagementError(400, 'invalid body: give "targets" or "models", not both');
  return body.targets ?? body.models;
}

/** Targets as config.yaml spells them: a bare model name unless a weight goes with it. */
function yamlTargets(inputs: readonly TargetInput[]): Array<string | ComboTarget> {
  return inputs.map((input) => (typeof input === 'string' ? input : input.weight === undefined ? input.model : { model: input.model, weight: input.weight }));
}

function combosSequence(document: Document, create: boolean): YAMLSeq | undefined {
  const node = document.get('combos');
  if (isSeq(node)) return node;
  if (!create) return undefined;
  const sequence = new YAMLSeq();
  document.set('combos', sequence);
  return sequence;
}

function indexOfCombo(sequence: YAMLSeq | undefined, comboName: string): number {
  if (!sequence) return -1;
  return sequence.items.findIndex((item) => isMap(item) && item.get('name') === comboName);
}

function comboNotFound(comboName: string): ManagementError {
  return new ManagementError(404, `combo "${comboName}" not found`);
}

function findApplied(combos: readonly ComboConfig[], comboName: string): ComboConfig {
  const combo = combos.find((candidate) => candidate.name === comboName);
  if (!combo) throw comboNotFound(comboName);
  return combo;
}

/** `GET /api/combos` → `{"combos": [...]}` from the running config. */
export const listCombosRoute = managementRoute((context: HttpContext) => {
  sendJson(context, 200, { combos: context.runtime.snapshot.config.combos.map(describeCombo) });
});

/** `POST /api/combos` → 201 with the combo; 409 when the name is taken. */
export const createComboRoute = managementRoute(async (context: HttpContext) => {
  const body = await readManagementBody(context, createBody);
  const comboTargets = targetsOf(body);
  if (!comboTargets) throw new ManagementError(400, 'invalid body: targets: a combo needs at least one target');
  const config = await editRunningConfig(context, (document) => {
    const sequence = combosSequence(document, true)!;
    if (indexOfCombo(sequence, body.name) !== -1) throw new ManagementError(409, `combo "${body.name}" already exists`);
    // An empty `combos: []` would otherwise grow as a one-line flow list.
    sequence.flow = false;
    const entry: Record<string, unknown> = { name: body.name };
    if (body.strategy) entry.strategy = body.strategy;
    entry.targets = yamlTargets(comboTargets);
    if (body.description !== undefined) entry.description = body.description;
    sequence.add(document.createNode(entry));
  });
  sendJson(context, 201, describeCombo(findApplied(config.combos, body.name)));
});

/** `PATCH /api/combos/{name}`: changes only the fields given; `description: null` removes it. */
export const updateComboRoute = managementRoute(async (context: HttpContext) => {
  const current = context.params.id!;
  const body = await readManagementBody(context, updateBody);
  const comboTargets = targetsOf(body);
  const config = await editRunningConfig(context, (document) => {
    const sequence = combosSequence(document, false);
    const index = indexOfCombo(sequence, current);
    if (index === -1) throw comboNotFound(current);
    if (body.name !== undefined && body.name !== current && indexOfCombo(sequence, body.name) !== -1) {
      throw new ManagementError(409, `combo "${body.name}" already exists`);
    }
    const entry = sequence!.items[index] as YAMLMap;
    if (body.name !== undefined) entry.set('name', body.name);
    if (body.strategy !== undefined) entry.set('strategy', body.strategy);
    if (comboTargets) entry.set('targets', document.createNode(yamlTargets(comboTargets)));
    if (body.description === null) entry.delete('description');
    else if (body.description !== undefined) entry.set('description', body.description);
  });
  sendJson(context, 200, describeCombo(findApplied(config.combos, body.name ?? current)));
});

/** `DELETE /api/combos/{name}` → `{"success": true}`. */
export const deleteComboRoute = managementRoute(async (context: HttpContext) => {
  const current = context.params.id!;
  await editRunningConfig(context, (document) => {
    const sequence = combosSequence(document, false);
    const index = indexOfCombo(sequence, current);
    if (index === -1) throw comboNotFound(current);
    sequence!.delete(index);
  });
  sendJson(context, 200, { success: true });
});
