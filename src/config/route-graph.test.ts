import { describe, expect, it } from 'vitest';
import type { RouteConfig } from './config-schema.js';
import { expandRoute } from './route-graph.js';

const routes: Record<string, RouteConfig> = {
  outer: { candidates: [{ model: 'a' }, { route: 'inner' }, { model: 'd', platform: 'vertex-ai' }] },
  inner: { candidates: [{ model: 'b' }, { route: 'innermost' }] },
  innermost: { candidates: [{ model: 'c' }] },
  self: { candidates: [{ model: 'a' }, { route: 'self' }] },
  dangling: { candidates: [{ route: 'nowhere' }] },
};

describe('expandRoute', () => {
  it('inserts referenced routes in place, recording the path and the top-level entry', () => {
    const expansion = expandRoute(routes, 'outer');
    expect(expansion.candidates).toEqual([
      { model: 'a', platform: 'gemini-api', entryIndex: 0, via: ['outer'] },
      { model: 'b', platform: 'gemini-api', entryIndex: 1, via: ['outer', 'inner'] },
      { model: 'c', platform: 'gemini-api', entryIndex: 1, via: ['outer', 'inner', 'innermost'] },
      { model: 'd', platform: 'vertex-ai', entryIndex: 2, via: ['outer'] },
    ]);
    expect(expansion.cycles).toEqual([]);
    expect(expansion.unknownRoutes).toEqual([]);
  });

  it('stops at a cycle and reports it', () => {
    const expansion = expandRoute(routes, 'self');
    expect(expansion.candidates.map((candidate) => candidate.model)).toEqual(['a']);
    expect(expansion.cycles).toEqual([{ names: ['self', 'self'], entryIndex: 1 }]);
  });

  it('reports references to unknown routes', () => {
    expect(expandRoute(routes, 'dangling').unknownRoutes).toEqual([{ name: 'nowhere', entryIndex: 0 }]);
  });
});
