import type { ImagegateConfig } from '../config/index.js';
import type { RoutePolicy } from './route.js';

/** The policy of a logical route (its own settings over `defaults`), or of `defaults` alone for a model ID. */
export function routePolicyFor(config: ImagegateConfig, routeName?: string): RoutePolicy {
  const defaults = config.defaults;
  const route = routeName === undefined ? undefined : config.routes[routeName];
  const retryOverrides = Object.fromEntries(
    Object.entries(route?.retry ?? {}).filter(([, value]) => value !== undefined),
  );
  return {
    fallbackOn: [...(route?.fallbackOn ?? defaults.fallbackOn)],
    parameterPolicy: route?.parameterPolicy ?? defaults.parameterPolicy,
    retry: { ...defaults.retry, ...retryOverrides },
    totalBudgetMs: route?.totalBudgetMs ?? defaults.totalBudgetMs,
  };
}
