export { systemClock, type Clock } from './clock.js';
export { ManualClock } from './manual-clock.js';
