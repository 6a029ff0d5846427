import { NoUsableCandidateError, UnknownModelError, type Registry } from '../registry/index.js';

/** What a flow needs to know about a model name while validating: whether it exists and what it makes. */
export type ModelCheck =
  { status: 'known'; modality: 'image' | 'text' | undefined } | { status: 'unknown'; suggestions: string[] };

/** The seam between flow validation and the registry, so documents validate without a live engine. */
export interface FlowModelNames {
  check(name: string): ModelCheck;
}

/**
 * Model names through the registry at its clock. A name whose every candidate is retired is still a known
 * name here (publishing, not validation, judges lifecycle), its modality unknown.
 */
export function registryModelNames(registry: Pick<Registry, 'resolve'>): FlowModelNames {
  return {
    check(name) {
      try {
        const route = registry.resolve(name);
        return { status: 'known', modality: route.candidates[0]?.model.modality };
      } catch (error) {
        if (error instanceof UnknownModelError) return { status: 'unknown', suggestions: error.suggestions };
        if (error instanceof NoUsableCandidateError) return { status: 'known', modality: undefined };
        throw error;
      }
    },
  };
}
