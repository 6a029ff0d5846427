/** A path into the config as zod and the YAML document spell it. */
export type FieldPath = ReadonlyArray<string | number>;

/** `routes.image_fast.candidates[1].model`: how a field is named in messages. */
export function formatFieldPath(path: FieldPath): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('');
}
