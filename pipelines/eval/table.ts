// The readable table `geoad eval` prints: one row per category and the mean, percentages with one decimal.
import type { EvalResult } from './types.js';
import { AUPRO_LIMITS } from './types.js';

const pct = (v: number) => (v * 100).toFixed(1);

/** Formats results as an aligned plain-text table (with the calibrated thresholds below it). */
export function formatEvalTable(result: EvalResult): string {
  const header = ['category', 'I-AUROC', 'P-AUROC', ...AUPRO_LIMITS.map((l) => `AUPRO@${l}`), 'threshold', 'img F1', 'px F1'];
  const rows = result.categories.map((c) => [
    c.category,
    pct(c.iAuroc),
    pct(c.pAuroc),
    ...AUPRO_LIMITS.map((l) => pct(c.aupro[String(l)])),
    c.threshold.calibrated ? c.threshold.threshold.toPrecision(4) : '—',
    c.threshold.calibrated ? pct(c.threshold.image.f1) : '—',
    c.threshold.calibrated ? pct(c.threshold.pixel.f1) : '—',
  ]);
  if (result.categories.length > 1) {
    rows.push(['mean', pct(result.mean.iAuroc), pct(result.mean.pAuroc), ...AUPRO_LIMITS.map((l) => pct(result.mean.aupro[String(l)])), '', '', '']);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  const notes = [`PRO curve: ${result.proCurveMode}; resolution: ${result.resolution ?? 'gt'}; values in %.`];
  for (const c of result.categories) {
    if (!c.threshold.calibrated) notes.push(`${c.category}: threshold not calibrated (${c.threshold.reason}).`);
    if (c.resizedMaps) notes.push(`${c.category}: maps were resized (bilinear) to the evaluation resolution.`);
    const warnings = c.warnings?.length ?? 0;
    if (warnings > 0) notes.push(`${c.category}: ${warnings} test image(s) whose gt mask and folder disagree; labels come from the mask (warnings in the results).`);
  }
  return `${out.join('\n')}\n\n${notes.join('\n')}\n`;
}
