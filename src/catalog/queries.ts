import {
  UNKNOWN,
  type AspectRatio,
  type Catalog,
  type CatalogModel,
  type Fact,
  type ImageSize,
  type PixelSize,
  type Platform,
  type Stage,
} from './schema.js';

const DAY_MS = 86_400_000;

/** The value of a fact, or `undefined` when the catalog marks it unknown. */
export function knownValue<Value>(fact: Fact<Value>): Value | undefined {
  return fact.value === UNKNOWN ? undefined : (fact.value as Value);
}

/** Strips the resource prefixes the APIs put in front of a model ID (`models/`, `publishers/google/models/`). */
export function bareModelId(name: string): string {
  return name.replace(/^(?:.*\/)?models\//, '');
}

/** Finds a model by ID or alias, with or without a `models/` prefix. */
export function findModel(catalog: Catalog, idOrAlias: string): CatalogModel | undefined {
  const id = bareModelId(idOrAlias);
  return catalog.models.find((model) => model.id === id || model.aliases.includes(id));
}

/** Every ID the catalog knows, aliases included. */
export function allModelIds(catalog: Catalog): string[] {
  return catalog.models.flatMap((model) => [model.id, ...model.aliases]);
}

export interface LifecycleStatus {
  platform: Platform;
  /** The stage announced in the catalog. */
  announcedStage: Stage | undefined;
  /** The stage at the asked time: `retired` once the shutdown date has passed. */
  stage: Stage | undefined;
  shutdownDate: string | null | undefined;
  /**
   * Whole UTC calendar days from the asked day until the shutdown day: 1 the day before, 0 on the day
   * (already retired), negative after it; null when none is announced, undefined when unknown.
   */
  daysToShutdown: number | null | undefined;
  successor: string | null | undefined;
  isRetired: boolean;
}

/** A model's lifecycle on one platform at a given instant, or `undefined` if it is not offered there. */
export function lifecycleOn(
  model: CatalogModel,
  platform: Platform,
  atMs: number,
): LifecycleStatus | undefined {
  const lifecycle = model.platforms[platform];
  if (!lifecycle) return undefined;
  const announcedStage = knownValue(lifecycle.stage);
  const shutdownDate = knownValue(lifecycle.shutdownDate);
  const shutdownMs = shutdownDate ? Date.parse(`${shutdownDate}T00:00:00Z`) : undefined;
  const isRetired = announcedStage === 'retired' || (shutdownMs !== undefined && atMs >= shutdownMs);
  return {
    platform,
    announcedStage,
    stage: isRetired ? 'retired' : announcedStage,
    shutdownDate,
    daysToShutdown:
      shutdownMs === undefined
        ? shutdownDate === null
          ? null
          : undefined
        : Math.round((shutdownMs - startOfUtcDayMs(atMs)) / DAY_MS),
    successor: knownValue(lifecycle.successor),
    isRetired,
  };
}

/** Calendar days, not elapsed hours, so a status read at 23:00 and at 01:00 on the same day agree. */
function startOfUtcDayMs(atMs: number): number {
  return Math.floor(atMs / DAY_MS) * DAY_MS;
}

/** The pixel size the model produces for an (image size, aspect ratio) pair, if the catalog knows it. */
export function outputPixelSize(
  model: CatalogModel,
  imageSize: ImageSize,
  aspectRatio: AspectRatio,
): PixelSize | undefined {
  return knownValue(model.capabilities.pixelSizes)?.[imageSize]?.[aspectRatio];
}

/** IDs closest to a mistyped one, nearest first (for "did you mean"). */
export function suggestModelIds(catalog: Catalog, id: string, limit = 3): string[] {
  return nearestNames(allModelIds(catalog), bareModelId(id), { limit });
}

/**
 * Names within a small edit distance of a mistyped one, nearest first, ties alphabetical. A name is near
 * when its distance is at most a third of the typed length, and never less than `minimumTolerance`.
 *
 * @param options.limit how many to return (default 3)
 * @param options.minimumTolerance the distance always accepted, for short names (default 3)
 */
export function nearestNames(
  names: readonly string[],
  wanted: string,
  options: { limit?: number; minimumTolerance?: number } = {},
): string[] {
  const tolerance = Math.max(options.minimumTolerance ?? 3, Math.floor(wanted.length / 3));
  return names
    .map((name) => ({ name, distance: editDistance(wanted, name) }))
    .filter(({ distance }) => distance <= tolerance)
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, options.limit ?? 3)
    .map(({ name }) => name);
}

/** Levenshtein distance; small strings only, so the plain dynamic programme is enough. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
