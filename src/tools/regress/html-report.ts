import { formatDurationMs, formatUsd } from './format-numbers.js';
import { pairCategoryLabels, type PairCategory } from './pair-category.js';
import type { SideRecord } from './pair-record.js';
import type { RegressResult } from './run-regress.js';
import type { JudgedPair } from './summary.js';

/** Thumbnails by image path (relative to the out directory), as `data:` URLs. */
export type ThumbnailsByPath = ReadonlyMap<string, string>;

/** Which filter button shows a category (besides "all"). */
const filterOfCategory: Record<PairCategory, 'different' | 'blocked' | 'failed' | 'same'> = {
  indistinguishable: 'same',
  different: 'different',
  blocked_candidate_only: 'blocked',
  blocked_baseline_only: 'blocked',
  blocked_both: 'blocked',
  failed: 'failed',
};

/**
 * The self-contained HTML report: inline CSS and script, thumbnails embedded, each linked to the
 * full-size file beside the report. Opens from disk with no server.
 */
export function renderHtmlReport(
  result: RegressResult,
  thumbnails: ThumbnailsByPath,
  generatedAt: string,
): string {
  const { summary, models } = result;
  const count = (filter: string) =>
    result.pairs.filter((pair) => filter === 'all' || filterOfCategory[pair.category] === filter).length;
  const filters = (['all', 'different', 'blocked', 'failed'] as const)
    .map(
      (filter) =>
        `<button type="button" data-filter="${filter}"${filter === 'all' ? ' aria-pressed="true"' : ' aria-pressed="false"'}>${filter} <span class="count">${count(filter)}</span></button>`,
    )
    .join('');
  const summaryRows = (Object.keys(pairCategoryLabels) as PairCategory[])
    .map(
      (category) => `<tr><th>${pairCategoryLabels[category]}</th><td>${summary.counts[category]}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>imagegate regress: ${escapeHtml(models.baseline)} vs ${escapeHtml(models.candidate)}</title>
<style>${styles}</style>
</head>
<body>
<header>
<h1>${escapeHtml(models.baseline)} <span class="vs">vs</span> ${escapeHtml(models.candidate)}</h1>
<p class="verdict ${summary.verdict}" id="verdict">${escapeHtml(summary.verdictLine)}</p>
<p class="meta">${result.pairs.length} pairs · generated ${escapeHtml(generatedAt)}${result.isPartial ? ' · <strong>partial run</strong>' : ''} · thresholds: SSIM ≥ ${result.thresholds.minSsim}, pHash distance ≤ ${result.thresholds.maxPerceptualHashDistance}, mean ΔE2000 ≤ ${result.thresholds.maxMeanDeltaE}${result.thresholds.failOnDimensionMismatch ? ', same pixel size' : ''}</p>
<div class="tables">
<table class="summary"><tbody>${summaryRows}</tbody></table>
<table class="summary sides"><thead><tr><th></th><th>baseline</th><th>candidate</th></tr></thead><tbody>
<tr><th>latency p50</th><td>${formatDurationMs(summary.baseline.latencyP50Ms)}</td><td>${formatDurationMs(summary.candidate.latencyP50Ms)}</td></tr>
<tr><th>latency p95</th><td>${formatDurationMs(summary.baseline.latencyP95Ms)}</td><td>${formatDurationMs(summary.candidate.latencyP95Ms)}</td></tr>
<tr><th>cost per image</th><td>${formatUsd(summary.baseline.costPerImageUsd)}</td><td>${formatUsd(summary.candidate.costPerImageUsd)}</td></tr>
</tbody></table>
</div>
<nav class="filters" aria-label="filter pairs">${filters}</nav>
</header>
<main>
<table id="pairs">
<thead><tr>
<th data-sort="id" data-type="text">prompt</th>
<th>baseline</th>
<th>candidate</th>
<th data-sort="category" data-type="text">verdict</th>
<th data-sort="ssim" data-type="number">SSIM</th>
<th data-sort="phash" data-type="number">pHash</th>
<th data-sort="deltae" data-type="number">ΔE</th>
<th data-sort="latency" data-type="number">latency (b / c)</th>
<th data-sort="cost" data-type="number">cost (b / c)</th>
</tr></thead>
<tbody>
${result.pairs.map((pair) => pairRow(pair, thumbnails)).join('\n')}
</tbody>
</table>
</main>
<script>${script}</script>
</body>
</html>
`;
}

function pairRow(pair: JudgedPair, thumbnails: ThumbnailsByPath): string {
  const scores = pair.scores;
  const number = (value: number | undefined, digits: number) =>
    value === undefined ? '–' : value.toFixed(digits);
  const latencyTotal = pair.baseline.latencyMs + pair.candidate.latencyMs;
  const costTotal = (pair.baseline.costUsd ?? 0) + (pair.candidate.costUsd ?? 0);
  const params = [pair.params.aspectRatio, pair.params.imageSize, `seed ${pair.params.seed}`]
    .filter(Boolean)
    .join(' · ');
  return `<tr data-key="${pair.key}" data-category="${pair.category}" data-filter="${filterOfCategory[pair.category]}" data-id="${escapeHtml(pair.promptId)}" data-ssim="${scores?.ssim ?? -1}" data-phash="${scores?.perceptualHashDistance ?? 99}" data-deltae="${scores?.meanDeltaE ?? 999}" data-latency="${latencyTotal}" data-cost="${costTotal}">
<td class="prompt"><strong>${escapeHtml(pair.promptId)}</strong><p>${escapeHtml(pair.prompt)}</p><small>${escapeHtml(params)}</small></td>
<td>${sideCell(pair.baseline, thumbnails)}</td>
<td>${sideCell(pair.candidate, thumbnails)}</td>
<td class="category"><span class="badge ${pair.category}">${pairCategoryLabels[pair.category]}</span>${pair.reasons.length > 0 ? `<ul>${pair.reasons.map((reason) => `<li>${escapeHtml(reason)}</li>`).join('')}</ul>` : ''}</td>
<td class="num">${number(scores?.ssim, 3)}</td>
<td class="num">${scores ? scores.perceptualHashDistance : '–'}</td>
<td class="num">${number(scores?.meanDeltaE, 2)}</td>
<td class="num">${formatDurationMs(pair.baseline.latencyMs)} / ${formatDurationMs(pair.candidate.latencyMs)}</td>
<td class="num">${formatUsd(pair.baseline.costUsd)} / ${formatUsd(pair.candidate.costUsd)}</td>
</tr>`;
}

function sideCell(side: SideRecord, thumbnails: ThumbnailsByPath): string {
  const outcome = `<div class="outcome ${side.outcome}">${escapeHtml(side.outcome === 'error' ? side.outcomeKind : side.outcome)}</div>`;
  const servedBy =
    side.servedBy && side.servedBy.modelId !== side.model
      ? `<div class="served">served by ${escapeHtml(side.servedBy.modelId)}</div>`
      : '';
  if (!side.image) {
    return `<div class="placeholder" title="${escapeHtml(side.message ?? '')}">no image</div>${outcome}${servedBy}`;
  }
  const thumbnail = thumbnails.get(side.image.path);
  const picture = thumbnail
    ? `<img src="${thumbnail}" alt="${escapeHtml(side.model)}">`
    : '<div class="placeholder">image file missing</div>';
  return `<a href="${escapeHtml(encodeURI(side.image.path))}" target="_blank">${picture}</a>${outcome}<div class="size">${side.image.width}×${side.image.height}</div>${servedBy}`;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const styles = `
:root { color-scheme: light dark; --line: #8884; --pass: #1a7f37; --review: #b35900; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 1.5rem 2rem; }
h1 { font-size: 1.4rem; margin: 1rem 0 .3rem; } .vs { color: #888; font-weight: normal; }
.verdict { font-size: 1.1rem; font-weight: 600; margin: .3rem 0; } .verdict.pass { color: var(--pass); } .verdict.review { color: var(--review); }
.meta { color: #888; margin: 0 0 .8rem; }
.tables { display: flex; gap: 2rem; flex-wrap: wrap; }
table.summary { border-collapse: collapse; } table.summary th, table.summary td { padding: .15rem .6rem; text-align: left; border-bottom: 1px solid var(--line); } table.summary td { text-align: right; }
.filters { position: sticky; top: 0; padding: .6rem 0; background: Canvas; z-index: 1; }
.filters button { font: inherit; padding: .3rem .8rem; margin-right: .4rem; border: 1px solid var(--line); border-radius: 1rem; background: none; cursor: pointer; }
.filters button[aria-pressed="true"] { background: #2563eb; color: white; border-color: #2563eb; }
.count { opacity: .75; }
#pairs { border-collapse: collapse; width: 100%; }
#pairs th { text-align: left; border-bottom: 2px solid var(--line); padding: .3rem; white-space: nowrap; }
#pairs th[data-sort] { cursor: pointer; } #pairs th[data-sort]::after { content: " ↕"; color: #888; }
#pairs th[aria-sort="ascending"]::after { content: " ↑"; } #pairs th[aria-sort="descending"]::after { content: " ↓"; }
#pairs td { border-bottom: 1px solid var(--line); padding: .4rem .3rem; vertical-align: top; }
#pairs img { display: block; max-width: 200px; max-height: 200px; border-radius: 4px; }
.prompt { max-width: 18rem; } .prompt p { margin: .2rem 0; } .prompt small, .size, .served { color: #888; font-size: .85em; }
.placeholder { width: 160px; height: 120px; display: grid; place-items: center; border: 1px dashed var(--line); border-radius: 4px; color: #888; }
.outcome { font-size: .85em; } .outcome.success { color: var(--pass); } .outcome:not(.success) { color: #c62828; font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.badge { display: inline-block; padding: .1rem .5rem; border-radius: .8rem; font-size: .85em; white-space: nowrap; background: #8882; }
.badge.different, .badge.failed { background: #c6282822; color: #c62828; } .badge.blocked_candidate_only, .badge.blocked_baseline_only, .badge.blocked_both { background: #b3590022; color: var(--review); }
.badge.indistinguishable { background: #1a7f3722; color: var(--pass); }
.category ul { margin: .3rem 0 0; padding-left: 1.1rem; font-size: .85em; }
tr[hidden] { display: none; }
`;

const script = `
(() => {
  const rows = () => Array.from(document.querySelectorAll('#pairs tbody tr'));
  const buttons = Array.from(document.querySelectorAll('.filters button'));
  const applyFilter = (filter) => {
    for (const button of buttons) button.setAttribute('aria-pressed', String(button.dataset.filter === filter));
    for (const row of rows()) row.hidden = filter !== 'all' && row.dataset.filter !== filter;
    history.replaceState(null, '', '#' + filter);
  };
  for (const button of buttons) button.addEventListener('click', () => applyFilter(button.dataset.filter));
  const body = document.querySelector('#pairs tbody');
  for (const header of document.querySelectorAll('#pairs th[data-sort]')) {
    header.addEventListener('click', () => {
      const key = header.dataset.sort;
      const numeric = header.dataset.type === 'number';
      const ascending = header.getAttribute('aria-sort') !== 'ascending';
      for (const other of document.querySelectorAll('#pairs th')) other.removeAttribute('aria-sort');
      header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      const value = (row) => (numeric ? Number(row.dataset[key]) : row.dataset[key] || '');
      const sorted = rows().sort((a, b) => {
        const x = value(a), y = value(b);
        const order = numeric ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
        return ascending ? order : -order;
      });
      for (const row of sorted) body.appendChild(row);
    });
  }
  const initial = location.hash.slice(1);
  if (buttons.some((button) => button.dataset.filter === initial)) applyFilter(initial);
})();
`;
