/**
 * `created_after` / `created_before` (Unix seconds, both exclusive) for the whole UTC days `from` to `to`
 * (`YYYY-MM-DD`, either may be empty): the filter of the Tasks and Gallery pages' date fields.
 */
export function utcDayRange(
  from: string,
  to: string,
): { createdAfter: number | undefined; createdBefore: number | undefined } {
  const start = dayStartSeconds(from);
  const end = dayStartSeconds(to);
  return {
    createdAfter: start === undefined ? undefined : start - 1,
    createdBefore: end === undefined ? undefined : end + 86_400,
  };
}

function dayStartSeconds(day: string): number | undefined {
  if (!day) return undefined;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}
