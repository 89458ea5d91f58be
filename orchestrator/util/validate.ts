// Option checks shared by every command: one message shape, naming the option and the value received.
import { UsageError } from './errors.js';

/** "Expected `--resolution` to be an integer from 32 to 2048, got `0`". */
export function expectInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`Expected \`${name}\` to be an integer ${range}, got \`${String(value)}\``);
  }
  return value;
}

/** A finite number in [min, max]. */
export function expectNumber(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`Expected \`${name}\` to be a number from ${min} to ${max}, got \`${String(value)}\``);
  }
  return value;
}

/** One of the allowed string values. */
export function expectOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new UsageError(`Expected \`${name}\` to be one of ${allowed.map((a) => `\`${a}\``).join(', ')}, got \`${String(value)}\``);
  }
  return value as T;
}

/** Splits `a,b,c` (or an array of such) into trimmed, non-empty, de-duplicated items in order. */
export function parseList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
  return [...new Set(parts.map((p) => p.trim()).filter((p) => p.length > 0))];
}
