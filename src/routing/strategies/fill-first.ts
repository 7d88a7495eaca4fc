import type { ComboStrategy } from './combo-strategy.ts';
import { orderByPriority } from './priority.ts';

/**
 * At combo level "fill the first target until it fails" is exactly priority order (OmniRoute does
 * the same); the name exists so configs written for OmniRoute keep working.
 */
export const orderFillFirst: ComboStrategy = orderByPriority;
