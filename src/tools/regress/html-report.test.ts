import { describe, expect, it } from 'vitest';
import { escapeHtml, renderHtmlReport } from './html-report.js';
import type { RegressResult } from './run-regress.js';
import { judgePairs, summarise } from './summary.js';
import { blockedSide, pairRecord } from './test-support/test-records.js';
import { defaultThresholds } from './thresholds.js';

function resultOf(records: Parameters<typeof judgePairs>[0]): RegressResult {
  const pairs = judgePairs(records, defaultThresholds);
  const models = { baseline: 'model-a', candidate: 'model-b' };
  return {
    models,
    params: {},
    thresholds: defaultThresholds,
    pairs,
    summary: summarise(pairs, models),
    resumedPairs: 0,
    isPartial: false,
  };
}

describe('renderHtmlReport', () => {
  it('escapes prompts and embeds thumbnails linked to the full-size files', () => {
    const result = resultOf([pairRecord({ prompt: '<script>alert("x")</script> & more' })]);
    const html = renderHtmlReport(
      result,
      new Map([['images/x.png', 'data:image/jpeg;base64,AAAA']]),
      'today',
    );
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('<a href="images/x.png" target="_blank"><img src="data:image/jpeg;base64,AAAA"');
    expect(html).not.toMatch(/<link |<script src=|https?:\/\//);
  });

  it('marks each row with its filter, and counts them on the buttons', () => {
    const result = resultOf([
      pairRecord(),
      pairRecord({ key: '1123456789abcdef', promptId: 'p-002', candidate: blockedSide(), scores: null }),
    ]);
    const html = renderHtmlReport(result, new Map(), 'today');
    expect(html).toContain('data-category="blocked_candidate_only" data-filter="blocked" data-id="p-002"');
    expect(html).toContain('data-filter="blocked" aria-pressed="false">blocked <span class="count">1</span>');
    expect(html).toContain('data-filter="all" aria-pressed="true">all <span class="count">2</span>');
    expect(html).toContain(
      '<div class="placeholder" title="">no image</div><div class="outcome blocked_output">blocked_output</div>',
    );
  });
});

describe('escapeHtml', () => {
  it('escapes the five special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
