import { describe, expect, it } from 'vitest';
import { initialJsGzipBytes } from '../../console/initial-js-size-plugin.js';

describe('initialJsGzipBytes', () => {
  it('counts the entry and what it imports statically, not lazily loaded chunks or assets', () => {
    const code = (size: number) => 'x'.repeat(size);
    const bundle = {
      'index.js': { type: 'chunk' as const, isEntry: true, imports: ['vendor.js'], code: code(1000) },
      'vendor.js': { type: 'chunk' as const, isEntry: false, imports: ['index.js'], code: code(5000) },
      'cost-page.js': { type: 'chunk' as const, isEntry: false, imports: ['vendor.js'], code: code(90_000) },
      'index.css': { type: 'asset' as const },
    };
    const both = initialJsGzipBytes(bundle);
    const entryOnly = initialJsGzipBytes({ 'index.js': { ...bundle['index.js'], imports: [] } });
    expect(both).toBeGreaterThan(entryOnly);
    expect(both).toBeLessThan(200);
  });
});
