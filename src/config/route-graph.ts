import type { Platform } from '../catalog/index.js';
import type { RouteConfig } from './config-schema.js';

/** The platform of a model candidate that names none. */
export const defaultPlatform: Platform = 'gemini-api';

/** A model candidate reached from a route, with the `route:` references followed to get there. */
export interface ExpandedCandidate {
  model: string;
  platform: Platform;
  /** Index, in the expanded route's own `candidates`, of the entry this candidate comes from. */
  entryIndex: number;
  /** Logical names passed through, the expanded route first. */
  via: string[];
}

export interface RouteExpansion {
  /** Model candidates in order, nested routes inserted where they are referenced. */
  candidates: ExpandedCandidate[];
  /** Referenced logical names that do not exist, each with the top-level entry that leads to it. */
  unknownRoutes: Array<{ name: string; entryIndex: number }>;
  /** Cycles met, each as the names along it (first and last equal), with the top-level entry leading into it. */
  cycles: Array<{ names: string[]; entryIndex: number }>;
}

/** Flattens a route: `- { route: other }` entries are replaced by the candidates of `other`, recursively. */
export function expandRoute(routes: Readonly<Record<string, RouteConfig>>, name: string): RouteExpansion {
  const expansion: RouteExpansion = { candidates: [], unknownRoutes: [], cycles: [] };
  const visit = (routeName: string, stack: string[], entryIndex: number | undefined) => {
    const route = routes[routeName];
    if (!route) return;
    route.candidates.forEach((candidate, index) => {
      const topIndex = entryIndex ?? index;
      if (candidate.model !== undefined) {
        expansion.candidates.push({
          model: candidate.model,
          platform: candidate.platform ?? defaultPlatform,
          entryIndex: topIndex,
          via: [...stack, routeName],
        });
        return;
      }
      const target = candidate.route;
      if (target === undefined) return;
      if (!Object.hasOwn(routes, target)) {
        expansion.unknownRoutes.push({ name: target, entryIndex: topIndex });
      } else if ([...stack, routeName].includes(target)) {
        const path = [...stack, routeName];
        expansion.cycles.push({ names: [...path.slice(path.indexOf(target)), target], entryIndex: topIndex });
      } else {
        visit(target, [...stack, routeName], topIndex);
      }
    });
  };
  visit(name, [], undefined);
  return expansion;
}
