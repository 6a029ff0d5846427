/** z-score of the 95th percentile of the standard normal distribution. */
const z95 = 1.6448536269514722;

/**
 * Samples a latency from a log-normal distribution with the given median and 95th percentile: service
 * latencies are skewed, with a long tail of slow calls, which a log-normal reproduces with two numbers
 * people actually know. Returns whole milliseconds.
 */
export function sampleLogNormalMs(medianMs: number, p95Ms: number, random: () => number): number {
  if (medianMs <= 0) return 0;
  const sigma = Math.log(Math.max(p95Ms, medianMs) / medianMs) / z95;
  if (sigma === 0) return Math.round(medianMs);
  return Math.round(medianMs * Math.exp(sigma * standardNormal(random)));
}

/** Box–Muller; `1 - random()` keeps the logarithm's argument in (0, 1]. */
function standardNormal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
