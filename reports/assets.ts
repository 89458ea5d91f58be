// Files the report inlines: templates, CSS, the browser script and Chart.js's UMD build, found from the package root
// so that the same code works from source (tsx) and from dist/.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package root (the folder holding geoad-bench's package.json). */
export function findPackageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'geoad-bench') return (root = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the geoad-bench package root above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** A path below the package root. */
export function packagePath(...parts: string[]): string {
  return join(findPackageRoot(), ...parts);
}

/** Reads a file of reports/templates/ as text. */
export function readTemplateFile(name: string): string {
  return readFileSync(packagePath('reports', 'templates', name), 'utf8');
}

/** Chart.js's minified UMD build from node_modules (no CDN: the page must open offline). */
export function readChartJsUmd(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('chart.js'); // .../chart.js/dist/chart.cjs
  return readFileSync(join(dirname(entry), 'chart.umd.min.js'), 'utf8');
}

/** Makes trusted script or style text safe to place inside a <script>/<style> element. */
export function escapeInlineCode(code: string): string {
  return code.replace(/<\/(script|style)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}
