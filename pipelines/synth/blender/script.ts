// Generates the Python script run inside Blender (bpy) or BlenderProc from the Handlebars templates in
// blender-templates/. The templates hold the rendering steps; every scene value comes from the job file.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { GeoadError } from '../../../orchestrator/util/errors.js';
import { JOB_FORMAT_VERSION } from './job-file.js';
import type { ExternalRenderer } from './types.js';

const TEMPLATE_FILES: Record<ExternalRenderer, string> = {
  blender: 'bpy-render.py.hbs',
  blenderproc: 'blenderproc-render.py.hbs',
};

// Finds blender-templates/ by walking up from this module (works from the sources and from dist/).
export function findTemplateDir(start = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'blender-templates');
    if (existsSync(join(candidate, TEMPLATE_FILES.blender))) return candidate;
    if (dirname(dir) === dir) throw new GeoadError(`Cannot find blender-templates/ above ${start}; is the package installed completely?`);
  }
}

function readVersion(templateDir: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(templateDir, '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

// Renders the Python script for `renderer`; the output depends only on the templates and the package version.
export function generateRenderScript(renderer: ExternalRenderer, templateDir = findTemplateDir()): string {
  const hbs = Handlebars.create();
  hbs.registerPartial('geoadCommon', readFileSync(join(templateDir, 'partials', 'geoad-common.py.hbs'), 'utf8'));
  const template = hbs.compile(readFileSync(join(templateDir, TEMPLATE_FILES[renderer]), 'utf8'), { noEscape: true, strict: true });
  return template({ generatorVersion: readVersion(templateDir), jobVersion: JOB_FORMAT_VERSION });
}
