import { catalogConsistencyProblems } from './catalog-consistency.js';
import { catalogData } from './data/models.js';
import { catalogSchema, type Catalog } from './schema.js';

let builtIn: Catalog | undefined;

/** The built-in catalog, validated once and cached. */
export function builtInCatalog(): Catalog {
  builtIn ??= loadCatalog(catalogData);
  return builtIn;
}

/**
 * Validates catalog data against the schema and the cross-entry rules (unique IDs, existing GA
 * successors, complete pixel tables); throws an error naming every offending path.
 */
export function loadCatalog(data: unknown): Catalog {
  const parsed = catalogSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new Error(`The model catalog is invalid:\n${problems.join('\n')}`);
  }
  const inconsistencies = catalogConsistencyProblems(parsed.data);
  if (inconsistencies.length > 0) {
    const problems = inconsistencies.map((problem) => `  ${problem.path}: ${problem.message}`);
    throw new Error(`The model catalog is inconsistent:\n${problems.join('\n')}`);
  }
  return parsed.data;
}
