import { catalogData } from './data/models.js';
import { catalogSchema, type Catalog } from './schema.js';

let builtIn: Catalog | undefined;

/** The built-in catalog, validated once and cached. */
export function builtInCatalog(): Catalog {
  builtIn ??= loadCatalog(catalogData);
  return builtIn;
}

/** Validates catalog data; throws an error naming every offending path. */
export function loadCatalog(data: unknown): Catalog {
  const parsed = catalogSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new Error(`The model catalog is invalid:\n${problems.join('\n')}`);
  }
  return parsed.data;
}
