// Test-only entry: the shared adapter suite imports vitest, a dev dependency, so it stays out of index.ts
// (which the server loads at run time).
export { describeTaskStoreContract } from './task-store-contract.js';
