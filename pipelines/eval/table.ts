// The readable table `geoad eval` prints: one row per category and the mean, fractions with three decimals (as in
// the report and results.json), then notes: curve mode, resolution, resized maps, thresholds, warnings.
import { formatSize } from './resize-map.js';
import type { CategoryMetrics, EvalResult } from './types.js';
import { AUPRO_LIMITS } from './types.js';

const fraction = (v: number) => v.toFixed(3);

// "30 maps 224×224 → 800×800; 2 maps 96×96 (not resized)", every size the category's maps came in.
function describeMapSizes(c: CategoryMetrics): string {
  return (c.mapSizes ?? [])
    .map(({ from, to, maps }) => {
      const count = `${maps} map${maps === 1 ? '' : 's'} ${formatSize(from)}`;
      return from.width === to.width && from.height === to.height ? `${count} (not resized)` : `${count} → ${formatSize(to)}`;
    })
    .join('; ');
}

/** Formats results as an aligned plain-text table (with the calibrated thresholds below it). */
export function formatEvalTable(result: EvalResult): string {
  const header = ['category', 'I-AUROC', 'P-AUROC', ...AUPRO_LIMITS.map((l) => `AUPRO@${l}`), 'threshold', 'img F1', 'px F1'];
  const rows = result.categories.map((c) => [
    c.category,
    fraction(c.iAuroc),
    fraction(c.pAuroc),
    ...AUPRO_LIMITS.map((l) => fraction(c.aupro[String(l)])),
    c.threshold.calibrated ? c.threshold.threshold.toPrecision(4) : '—',
    c.threshold.calibrated ? fraction(c.threshold.image.f1) : '—',
    c.threshold.calibrated ? fraction(c.threshold.pixel.f1) : '—',
  ]);
  if (result.categories.length > 1) {
    rows.push(['mean', fraction(result.mean.iAuroc), fraction(result.mean.pAuroc), ...AUPRO_LIMITS.map((l) => fraction(result.mean.aupro[String(l)])), '', '', '']);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  const notes = [`PRO curve: ${result.proCurveMode}; resolution: ${result.resolution ?? 'gt'}; values are fractions (0–1).`];
  for (const c of result.categories) {
    if (!c.threshold.calibrated) notes.push(`${c.category}: threshold not calibrated (${c.threshold.reason}).`);
    else if (c.threshold.warning) notes.push(`${c.category}: warning: ${c.threshold.warning}.`);
    if (c.resizedMaps) {
      const sizes = describeMapSizes(c);
      notes.push(`${c.category}: maps resized (bilinear)${sizes ? `: ${sizes}` : ' to the evaluation resolution'}.`);
    }
    const warnings = c.warnings?.length ?? 0;
    if (warnings > 0) notes.push(`${c.category}: ${warnings} test image(s) whose gt mask and folder disagree; labels come from the mask (warnings in the results).`);
  }
  return `${out.join('\n')}\n\n${notes.join('\n')}\n`;
}
