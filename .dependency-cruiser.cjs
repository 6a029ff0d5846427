// @ts-check
/*
 * The layers of docs/architecture.md, checked by `npm test` (npm run check:layers). A folder imports only
 * from its own layer or below, and another folder only through that folder's index.ts. Tests may reach
 * into any folder; the emulator is its own app that only the CLI starts (and the client loads lazily).
 */
const layers = [
  ['cli', 'server', 'console'],
  ['tools', 'flows', 'batch', 'lifecycle', 'cost'],
  ['tasks', 'webhooks', 'blobs', 'client', 'engine', 'coordination'],
  ['registry', 'provider', 'outcome', 'config'],
  ['catalog', 'request', 'errors', 'http', 'net', 'media', 'clock'],
];
const folderPattern = (folders) => `^src/(${folders.join('|')})/`;
const notTests = '(\\.test\\.ts$|/test-support/)';

/** From each layer, nothing in any layer above it. */
const upward = layers.slice(1).map((folders, index) => ({
  name: `no-upward-from-${folders[0]}-layer`,
  comment: `${folders.join(', ')} must not import ${layers
    .slice(0, index + 1)
    .flat()
    .join(', ')} (a higher layer)`,
  severity: 'error',
  from: { path: folderPattern(folders), pathNot: notTests },
  to: { path: folderPattern(layers.slice(0, index + 1).flat()) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'through-index',
      comment: "Another folder's code is reached through its index.ts, which names what it offers.",
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: notTests },
      // version.ts is the one leaf at the root: the package's version, read by the CLI and the server.
      to: { path: '^src/', pathNot: ['^src/$1/', '/index\\.ts$', '^src/version\\.ts$'] },
    },
    {
      name: 'emulator-is-its-own-app',
      comment: 'Only the CLI starts the emulator; the client may load it lazily with import().',
      severity: 'error',
      from: { path: '^src/', pathNot: [`^src/(emulator|cli)/`, notTests] },
      to: { path: '^src/emulator/', dependencyTypesNot: ['dynamic-import'] },
    },
    {
      name: 'emulator-uses-bottom-only',
      comment: 'The emulator stands beside imagegate, not on it: only the bottom layer is shared.',
      severity: 'error',
      from: { path: '^src/emulator/', pathNot: notTests },
      to: { path: '^src/', pathNot: ['^src/emulator/', folderPattern(layers.at(-1) ?? [])] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
