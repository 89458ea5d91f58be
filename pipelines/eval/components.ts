// 8-connected component labelling of binary masks (ground-truth regions, above-threshold regions).
// Labels are numbered 1..count in raster order of each component's first pixel, as scipy.ndimage.label numbers
// them with a 3×3 structure, so per-region sums run in the same order as the papers' code.

/** A labelled mask: `labels[i]` is 0 for background, else the component number (1-based). */
export interface Components {
  readonly labels: Int32Array;
  readonly count: number;
  /** Pixel count of component k at index k − 1. */
  readonly sizes: Uint32Array;
}

function findRoot(parent: Int32Array, i: number): number {
  let root = i;
  while (parent[root] !== root) root = parent[root];
  while (parent[i] !== root) {
    const next = parent[i];
    parent[i] = root;
    i = next;
  }
  return root;
}

function union(parent: Int32Array, a: number, b: number): void {
  const ra = findRoot(parent, a);
  const rb = findRoot(parent, b);
  if (ra < rb) parent[rb] = ra;
  else if (rb < ra) parent[ra] = rb;
}

/** Labels the 8-connected components of the non-zero pixels of a row-major `width`×`height` mask. */
export function labelComponents8(mask: ArrayLike<number>, width: number, height: number): Components {
  if (mask.length !== width * height) throw new RangeError(`labelComponents8: expected ${width * height} pixels, got ${mask.length}`);
  const provisional = new Int32Array(width * height);
  let foreground = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) foreground++;
  const parent = new Int32Array(foreground + 1);
  let next = 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      // Already-visited neighbours: W, NW, N, NE.
      let label = x > 0 ? provisional[i - 1] : 0;
      if (y > 0) {
        const above = i - width;
        for (let j = x > 0 ? above - 1 : above; j <= (x + 1 < width ? above + 1 : above); j++) {
          const l = provisional[j];
          if (l === 0) continue;
          if (label === 0) label = l;
          else if (l !== label) union(parent, label, l);
        }
      }
      if (label === 0) {
        label = next++;
        parent[label] = label;
      }
      provisional[i] = label;
    }
  }
  // Final numbers in raster order of first pixels: a root always has the smallest provisional label of its set,
  // and provisional labels were handed out in raster order.
  const final = new Int32Array(next);
  const sizesAll = new Uint32Array(next);
  let count = 0;
  for (let l = 1; l < next; l++) {
    const r = findRoot(parent, l);
    final[l] = r === l ? ++count : final[r];
  }
  for (let i = 0; i < provisional.length; i++) {
    const l = provisional[i];
    if (l === 0) continue;
    const f = final[l];
    provisional[i] = f;
    sizesAll[f - 1]++;
  }
  return { labels: provisional, count, sizes: sizesAll.slice(0, count) };
}
