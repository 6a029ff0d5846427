import type { FileKind } from './text-regions.js';

/** Extensions scanned as code or config. */
export const scannedExtensions: ReadonlySet<string> = new Set([
  'ts',
  'tsx',
  'mts',
  'cts',
  'js',
  'jsx',
  'mjs',
  'cjs',
  'py',
  'go',
  'java',
  'kt',
  'kts',
  'rb',
  'php',
  'cs',
  'rs',
  'json',
  'jsonc',
  'yaml',
  'yml',
  'toml',
]);

const markdownExtensions: ReadonlySet<string> = new Set(['md', 'markdown', 'mdx']);

/**
 * Folders holding other people's code or build output; never descended into, whatever .gitignore says.
 */
export const vendoredFolderNames: ReadonlySet<string> = new Set([
  'node_modules',
  'bower_components',
  'vendor',
  'third_party',
  'third-party',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'build',
  'out',
  'target',
  'coverage',
  '.venv',
  'venv',
  '__pycache__',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
  '.next',
  '.nuxt',
  '.turbo',
  '.cache',
  '.gradle',
  'Pods',
]);

/**
 * How a file is scanned, or undefined when its name says it is not one of the scanned types. GitHub
 * workflow files are YAML and so already covered; `.env`, `.env.local`… and Dockerfiles go by name.
 */
export function fileKindOf(fileName: string): FileKind | undefined {
  if (fileName === '.env' || fileName.startsWith('.env.')) return 'code';
  if (fileName === 'Dockerfile' || fileName.startsWith('Dockerfile.') || fileName.endsWith('.dockerfile'))
    return 'code';
  if (fileName === 'Containerfile') return 'code';
  const dot = fileName.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const extension = fileName.slice(dot + 1).toLowerCase();
  if (extension === 'ipynb') return 'notebook';
  if (markdownExtensions.has(extension)) return 'markdown';
  return scannedExtensions.has(extension) ? 'code' : undefined;
}
