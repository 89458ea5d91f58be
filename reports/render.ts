// Handlebars rendering of the pages: HTML escaping stays on for every value; only trusted assets (CSS, scripts) and
// JSON made safe for a <script> element go in unescaped, through helpers that return SafeString.
import Handlebars from 'handlebars';
import type { ChartSpec } from './chart-configs.js';
import { escapeInlineCode, readChartJsUmd, readTemplateFile } from './assets.js';

/** JSON that cannot end its <script> element or open a comment: <, >, & and line separators become \u escapes. */
export function serializeForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The page renderers, compiled once. */
export interface PageRenderer {
  renderIndex(context: object): string;
  renderCategory(context: object): string;
}

const PARTIALS = ['layout', 'metric-table', 'chart', 'threshold-table', 'qualitative', 'baselines', 'compare'] as const;

/** Compiles the templates of reports/templates/ with the helpers the pages use. */
export function createPageRenderer(): PageRenderer {
  const hbs = Handlebars.create();
  const assets: Record<string, string> = {
    css: escapeInlineCode(readTemplateFile('style.css')),
    client: escapeInlineCode(readTemplateFile('client.js')),
    chartjs: escapeInlineCode(readChartJsUmd()),
  };
  hbs.registerHelper('asset', (name: string) => {
    const text = assets[name];
    if (text === undefined) throw new Error(`Unknown report asset \`${name}\``);
    return new hbs.SafeString(text);
  });
  hbs.registerHelper('chartData', (charts: readonly ChartSpec[]) =>
    new hbs.SafeString(serializeForScript(charts.map((c) => ({ id: c.id, config: c.config })))),
  );
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  for (const name of PARTIALS) hbs.registerPartial(name, readTemplateFile(`${name}.hbs`));
  const options = { strict: false, noEscape: false } as const;
  const index = hbs.compile(readTemplateFile('index.hbs'), options);
  const category = hbs.compile(readTemplateFile('category.hbs'), options);
  return { renderIndex: (c) => index(c), renderCategory: (c) => category(c) };
}
