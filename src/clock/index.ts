export { systemClock, type Clock } from './clock.js';
export { clockStartingAt } from './clock-starting-at.js';
export { ManualClock } from './manual-clock.js';
