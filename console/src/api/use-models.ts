import { useQuery } from '@tanstack/react-query';
import { api } from './api-client.js';
import type { LogicalName, Model } from './types.js';

export interface ModelsList {
  object: 'list';
  data: Model[];
  logical_names: LogicalName[];
}

/** `GET /v1/models`: catalog models with lifecycle, and the logical names with their current route. */
export function useModels() {
  return useQuery({ queryKey: ['models'], queryFn: () => api<ModelsList>('/v1/models'), staleTime: 60_000 });
}

/** A choice for a model picker: a logical name (by its primary candidate) or a concrete model. */
export interface ModelChoice {
  id: string;
  kind: 'logical' | 'model';
  stage: string | null;
  daysToShutdown: number | null;
  model: Model | undefined;
}

export function modelChoices(list: ModelsList | undefined): ModelChoice[] {
  if (!list) return [];
  const byId = new Map(list.data.map((model) => [model.id, model]));
  return [
    ...list.logical_names.map((logical) => {
      const primary = logical.candidates[0];
      return {
        id: logical.id,
        kind: 'logical' as const,
        stage: primary?.lifecycle.stage ?? null,
        daysToShutdown: primary?.lifecycle.days_to_shutdown ?? null,
        model: primary ? byId.get(primary.model) : undefined,
      };
    }),
    ...list.data
      .filter((model) => model.lifecycle.some((entry) => !entry.is_retired))
      .map((model) => {
        const live = model.lifecycle.find((entry) => !entry.is_retired) ?? model.lifecycle[0];
        return {
          id: model.id,
          kind: 'model' as const,
          stage: live?.stage ?? null,
          daysToShutdown: live?.days_to_shutdown ?? null,
          model,
        };
      }),
  ];
}
