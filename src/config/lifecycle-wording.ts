import type { LifecycleStatus } from '../catalog/index.js';

/**
 * How a model's lifecycle is worded in warnings and errors, so the config loader and the registry say
 * the same thing the same way: `gemini-x on gemini-api shuts down on 2026-06-25 (in 12 days); successor gemini-y`.
 */
export function describeLifecycle(modelId: string, status: LifecycleStatus): string {
  const subject = `${modelId} on ${status.platform}`;
  const successor = status.successor ? `; successor ${status.successor}` : '';
  if (status.isRetired) {
    return status.shutdownDate
      ? `${subject} was shut down on ${status.shutdownDate}${successor}`
      : `${subject} is retired${successor}`;
  }
  const stage =
    status.stage === 'preview' || status.stage === 'experimental'
      ? ` is ${article(status.stage)} ${status.stage} and`
      : '';
  if (status.shutdownDate && typeof status.daysToShutdown === 'number') {
    const days = status.daysToShutdown === 1 ? '1 day' : `${status.daysToShutdown} days`;
    return `${subject}${stage} shuts down on ${status.shutdownDate} (in ${days})${successor}`;
  }
  const when =
    status.shutdownDate === null ? 'has no announced shutdown date' : 'has an unknown shutdown date';
  return `${subject}${stage} ${when}${successor}`;
}

/** Previews and experiments: never allowed as a fallback. */
export function isPreviewStage(status: LifecycleStatus): boolean {
  return status.stage === 'preview' || status.stage === 'experimental';
}

/** True when a shutdown date is known and no further away than the widest warning window. */
export function isWithinWarningWindow(
  daysToShutdown: number | null | undefined,
  warnDays: readonly number[],
): boolean {
  return typeof daysToShutdown === 'number' && daysToShutdown <= Math.max(...warnDays);
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
