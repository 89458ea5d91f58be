// PNG figures of the same charts as the pages (for papers and slides), rendered with chartjs-node-canvas.
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import type { ChartSpec } from './chart-configs.js';

/** Renders chart specs to PNG bytes of a fixed size on a white background. */
export interface FigureRenderer {
  render(spec: ChartSpec): Promise<Uint8Array>;
}

/** Creates a renderer for `width` × `height` PNGs (DejaVu Sans, no animation, device pixel ratio 1). */
export function createFigureRenderer(width: number, height: number): FigureRenderer {
  const canvas = new ChartJSNodeCanvas({
    width,
    height,
    backgroundColour: 'white',
    chartCallback: (ChartJS) => {
      ChartJS.defaults.font.family = 'DejaVu Sans';
      ChartJS.defaults.font.size = 14;
      ChartJS.defaults.color = '#222';
    },
  });
  return {
    async render(spec) {
      const config = structuredClone(spec.config) as { options?: Record<string, unknown> };
      config.options = { ...config.options, responsive: false, animation: false, devicePixelRatio: 1 };
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return new Uint8Array(await canvas.renderToBuffer(config as any, 'image/png'));
    },
  };
}
