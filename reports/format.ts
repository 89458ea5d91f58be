// Pure text formatting for the pages: numbers, stats, deltas, durations, slugs.
import { createHash } from 'node:crypto';
import type { Stat } from './aggregate.js';

/** A number with 3 decimals, or an em dash when absent or not finite. */
export function formatValue(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** A signed difference with 3 decimals (`+0.012`, `−0.004`, `±0.000`). */
export function formatDelta(delta: number): string {
  const text = Math.abs(delta).toFixed(3);
  if (Number(text) === 0) return `±${text}`;
  return `${delta > 0 ? '+' : '−'}${text}`;
}

/** The `± std` part of a stat, empty below two seeds. */
export function formatStd(stat: Stat | undefined): string {
  return stat && stat.std !== null ? `± ${stat.std.toFixed(3)}` : '';
}

/** Seconds as `2h 05m`, `3m 07s` or `12.3 s`. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A file-name-safe slug; names that do not survive unchanged get a short hash so that slugs stay distinct. */
export function slugify(name: string): string {
  const base = name.toLowerCase().replace(/[^a-z0-9_]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  if (base === name && base.length > 0) return base;
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 6);
  return base.length > 0 ? `${base}-${hash}` : hash;
}
