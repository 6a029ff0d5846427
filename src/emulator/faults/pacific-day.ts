/**
 * Gemini API per-day quotas reset at midnight Pacific time (America/Los_Angeles, so 07:00 or 08:00 UTC
 * depending on daylight saving). The emulator counts requests per day the same way, in emulated time.
 */
const pacificParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Los_Angeles',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function partsAt(atMs: number): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const part of pacificParts.formatToParts(new Date(atMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return parts;
}

/** The Pacific calendar day of an instant as `YYYY-MM-DD`: the key of a per-day quota window. */
export function pacificDayKey(atMs: number): string {
  const { year, month, day } = partsAt(atMs);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The instant of the next midnight Pacific strictly after `atMs`. */
export function nextPacificMidnightMs(atMs: number): number {
  const { year = 1970, month = 1, day = 1 } = partsAt(atMs);
  // Pacific time is UTC-7 (daylight saving) or UTC-8, so tomorrow's midnight is 07:00 or 08:00 UTC.
  for (const utcHour of [7, 8]) {
    const candidateMs = Date.UTC(year, month - 1, day + 1, utcHour);
    if (partsAt(candidateMs).hour === 0) return candidateMs;
  }
  throw new Error(`no Pacific midnight found after ${new Date(atMs).toISOString()}`);
}
