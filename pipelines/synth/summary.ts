// The end-of-run summary: counts per category / split / defect, disk used, anomaly area, time.
import type { SynthManifest } from './manifest.js';
import { measureSampleFiles } from './encode-sample.js';
import { formatDuration } from '../../orchestrator/util/progress.js';

/** What renderDataset() reports. */
export interface SynthSummary {
  readonly out: string;
  readonly total: number;
  /** Rendered by this run. */
  readonly rendered: number;
  /** Already complete before this run. */
  readonly skipped: number;
  /** Still incomplete (interrupted). */
  readonly pending: number;
  readonly interrupted: boolean;
  /** Complete samples per `category/split/defect`. */
  readonly counts: Readonly<Record<string, number>>;
  /** Bytes of all complete samples' files. */
  readonly bytes: number;
  /** Ground-truth area of complete anomalous samples as a fraction of the image: min, median, max. */
  readonly anomalyFraction: { readonly min: number; readonly median: number; readonly max: number } | null;
  readonly seconds: number;
}

/** Builds the summary from the manifest (and the files' sizes on disk). */
export function summarizeDataset(root: string, manifest: SynthManifest, run: { rendered: number; skipped: number; interrupted: boolean; seconds: number }): SynthSummary {
  const counts: Record<string, number> = {};
  let bytes = 0;
  let pending = 0;
  const fractions: number[] = [];
  const pixels = manifest.camera.width * manifest.camera.height;
  for (const s of manifest.samples) {
    if (!s.complete) {
      pending++;
      continue;
    }
    const group = `${s.scene.category}/${s.scene.split}/${s.scene.defect}`;
    counts[group] = (counts[group] ?? 0) + 1;
    bytes += measureSampleFiles(root, s.files) ?? 0;
    if (s.scene.defect !== 'good' && s.anomalyPixels !== null) fractions.push(s.anomalyPixels / pixels);
  }
  fractions.sort((a, b) => a - b);
  return {
    out: root,
    total: manifest.samples.length,
    ...run,
    pending,
    counts,
    bytes,
    anomalyFraction: fractions.length ? { min: fractions[0], median: fractions[Math.floor(fractions.length / 2)], max: fractions[fractions.length - 1] } : null,
  };
}

/** Human-readable lines: totals, a category × split/defect table, disk, anomaly area and time. */
export function formatSummary(s: SynthSummary): string {
  const lines = [
    `${s.interrupted ? 'Interrupted' : 'Done'}: ${s.total - s.pending}/${s.total} samples in ${s.out} (${s.rendered} rendered now, ${s.skipped} already there${s.pending ? `, ${s.pending} pending: re-run to finish` : ''})`,
  ];
  const groups = [...new Set(Object.keys(s.counts).map((k) => k.slice(k.indexOf('/') + 1)))];
  const categories = [...new Set(Object.keys(s.counts).map((k) => k.slice(0, k.indexOf('/'))))];
  if (categories.length > 0) {
    const width = Math.max(8, ...categories.map((c) => c.length));
    const label = (g: string) => (g === 'test/good' ? 'good' : g.replace('/good', '').replace('test/', ''));
    lines.push(`${'category'.padEnd(width)}  ${groups.map(label).join('  ')}`);
    for (const c of categories) {
      const cells = groups.map((g) => String(s.counts[`${c}/${g}`] ?? 0).padStart(label(g).length));
      lines.push(`${c.padEnd(width)}  ${cells.join('  ')}`);
    }
  }
  const mib = s.bytes / (1024 * 1024);
  lines.push(`disk: ${mib >= 1024 ? `${(mib / 1024).toFixed(2)} GiB` : `${mib.toFixed(1)} MiB`}; time: ${formatDuration(s.seconds)} (${(s.rendered / Math.max(s.seconds, 1e-9)).toFixed(1)} samples/s)`);
  if (s.anomalyFraction) {
    const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
    lines.push(`anomalous area per defect image: min ${pct(s.anomalyFraction.min)}, median ${pct(s.anomalyFraction.median)}, max ${pct(s.anomalyFraction.max)}`);
  }
  return lines.join('\n');
}
