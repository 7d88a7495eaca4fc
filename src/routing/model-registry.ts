import { matchesGlob } from 'node:path';
import type { CredentialConfig, ModelMapping } from '../config/types.ts';
import type { ProviderDefinition } from '../providers/provider-definition.ts';
import { providerDefinitions } from '../providers/index.ts';

/** One way to serve a model: a credential and the name its upstream knows the model by. */
export interface RouteTarget {
  credential: CredentialConfig;
  provider: ProviderDefinition;
  upstreamModel: string;
}

export interface ListedModel {
  id: string;
  ownedBy: string;
  provider: string;
  contextWindow?: number;
  maxOutputTokens?: number;
}

/**
 * Maps the model names clients use (aliases, `prefix/model`) to the credentials that serve them.
 * Built once per config; lookups are a single Map get.
 */
export class ModelRegistry {
  private readonly targets = new Map<string, RouteTarget[]>();
  private readonly listed = new Map<string, ListedModel>();

  constructor(credentials: readonly CredentialConfig[], options: { forceModelPrefix: boolean }) {
    for (const credential of credentials) {
      const provider = providerDefinitions[credential.type];
      const builtin = new Map(provider.builtinModels.map((model) => [model.id, model]));
      const mappings: ModelMapping[] = credential.models.length > 0 ? credential.models : provider.builtinModels.map((model) => ({ name: model.id }));
      for (const mapping of mappings) {
        const publicName = mapping.alias ?? mapping.name;
        if (credential.excludedModels.some((pattern) => matchesGlob(publicName, pattern) || matchesGlob(mapping.name, pattern))) continue;
        const target: RouteTarget = { credential, provider, upstreamModel: mapping.name };
        const names = credential.prefix ? [`${credential.prefix}/${publicName}`] : [];
        if (!credential.prefix || !options.forceModelPrefix) names.push(publicName);
        for (const name of names) {
          let list = this.targets.get(name);
          if (!list) this.targets.set(name, (list = []));
          list.push(target);
          if (!this.listed.has(name)) {
            const info = builtin.get(mapping.name);
            this.listed.set(name, {
              id: name,
              ownedBy: credential.provider,
              provider: credential.type,
              contextWindow: info?.contextWindow,
              maxOutputTokens: info?.maxOutputTokens,
            });
          }
        }
      }
    }
    // Highest priority first; the sort is stable, so config order breaks ties.
    for (const list of this.targets.values()) list.sort((a, b) => b.credential.priority - a.credential.priority);
  }

  resolve(model: string): readonly RouteTarget[] | undefined {
    return this.targets.get(model);
  }

  list(): ListedModel[] {
    return [...this.listed.values()];
  }
}
