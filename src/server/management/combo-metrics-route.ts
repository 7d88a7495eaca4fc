import { sendJson, type HttpContext } from '../http-context.ts';
import { ManagementError, managementRoute } from './management-route.ts';

/**
 * `GET /api/combos/metrics[?combo=name]` → `{"combos": [...]}` (docs/combos.md): every configured
 * combo in config order, zeroed until it serves traffic; `?combo=` narrows it to one.
 */
export const comboMetricsRoute = managementRoute((context: HttpContext) => {
  const { runtime } = context;
  const only = context.query.get('combo');
  const configured = runtime.snapshot.config.combos;
  const combos = only === null ? configured : configured.filter((combo) => combo.name === only);
  if (only !== null && combos.length === 0) throw new ManagementError(404, `combo "${only}" not found`);
  sendJson(context, 200, runtime.comboMetrics.snapshot(combos));
});
