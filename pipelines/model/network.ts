// The GeoAD reconstructor (DESIGN.md §4): visual features → M_FE (non-local attention + grid GCN, residual) →
// projection head → align-corners bilinear upsampling to the geometric grid. One factory builds every ablation.
// Builds the tf.js graph only; no I/O.
import * as tf from '@tensorflow/tfjs';
import { aggregateGridNeighbours, computeGridInvSqrtDegree, gelu, linear, matMul2d, resizeAlignCorners } from './ops.js';
import { ParamStore, countParameters, type NamedVariable } from './params.js';
import { createRng, deriveSeed } from './random.js';

/** The ablations of DESIGN.md §4, from one factory. */
export const VARIANTS = ['full', 'no-mfe', 'no-gcn', 'no-nla'] as const;
export type Variant = (typeof VARIANTS)[number];

/** Shapes of the reconstructor; part of every checkpoint. */
export interface ReconstructorConfig {
  readonly variant: Variant;
  /** Channels of the visual feature map. */
  readonly visualChannels: number;
  /** Channels of the geometric feature map (the regression target). */
  readonly geometricChannels: number;
  /** Side of the visual feature grid. @default 28 */
  readonly visualGrid: number;
  /** Side of the geometric feature grid predictions are upsampled to. @default 56 */
  readonly geometricGrid: number;
  /** Width of the enhanced features. @default 64 */
  readonly hidden: number;
  /** Query/key width of the attention. @default 32 */
  readonly attentionDim: number;
}

/** A built reconstructor: its weights and its forward pass. */
export interface Reconstructor {
  readonly config: ReconstructorConfig;
  readonly variables: readonly NamedVariable[];
  readonly parameterCount: number;
  /** visual [B, gv, gv, Cv] → predicted geometric features [B, gg, gg, Cg]. Call inside tf.tidy or a gradient. */
  predict(visual: tf.Tensor4D): tf.Tensor4D;
  /** Frees the weights and constants. */
  dispose(): void;
}

/** Which M_FE branches a variant keeps. */
export function describeVariant(variant: Variant): { attention: boolean; gcn: boolean } {
  return { attention: variant === 'full' || variant === 'no-gcn', gcn: variant === 'full' || variant === 'no-nla' };
}

/** Builds a reconstructor with seeded (backend-independent) initial weights. */
export function createReconstructor(config: ReconstructorConfig, seed: number): Reconstructor {
  const { visualChannels: cv, geometricChannels: cg, hidden: d, attentionDim: dk, visualGrid: g } = config;
  const branches = describeVariant(config.variant);
  const store = new ParamStore(createRng(deriveSeed(seed, 1)));
  const embedW = store.matrix('embed/w', cv, d);
  const embedB = store.bias('embed/b', d);
  const nla = branches.attention
    ? {
        q: store.matrix('nla/q', d, dk),
        k: store.matrix('nla/k', d, dk),
        v: store.matrix('nla/v', d, d),
        o: store.matrix('nla/o', d, d, 0.1), // small output gain: the block starts near identity
        ob: store.bias('nla/o_b', d),
      }
    : undefined;
  const gcn = branches.gcn ? { w: store.matrix('gcn/w', d, d, 0.1), b: store.bias('gcn/b', d) } : undefined;
  const head1W = store.matrix('head/w1', d, d);
  const head1B = store.bias('head/b1', d);
  const head2W = store.matrix('head/w2', d, cg);
  const head2B = store.bias('head/b2', cg);
  const invSqrtDegree = tf.tensor4d(computeGridInvSqrtDegree(g), [1, g, g, 1]);
  const scale = 1 / Math.sqrt(dk);

  // Every position attends to every other; per-sample 2-D products keep XNNPACK's fast path.
  const attend = (h: tf.Tensor2D, batch: number): tf.Tensor2D => {
    const n = g * g;
    const q = tf.mul(matMul2d(h, nla!.q), scale) as tf.Tensor2D; // scaling q (n×dk) is cheaper than the n×n scores
    const k = matMul2d(h, nla!.k);
    const v = matMul2d(h, nla!.v);
    const outs: tf.Tensor2D[] = [];
    for (let b = 0; b < batch; b++) {
      const qb = tf.slice(q, [b * n, 0], [n, dk]);
      const kb = tf.slice(k, [b * n, 0], [n, dk]);
      const vb = tf.slice(v, [b * n, 0], [n, d]);
      const weights = tf.softmax(matMul2d(qb, tf.transpose(kb)));
      outs.push(matMul2d(weights, vb));
    }
    const context = outs.length === 1 ? outs[0] : (tf.concat(outs, 0) as tf.Tensor2D);
    return tf.add(h, linear(context, nla!.o, nla!.ob));
  };

  const convolveGraph = (h: tf.Tensor2D, batch: number): tf.Tensor2D => {
    const mixed = aggregateGridNeighbours(tf.reshape(h, [batch, g, g, d]), invSqrtDegree);
    return tf.add(h, gelu(linear(tf.reshape(mixed, [batch * g * g, d]), gcn!.w, gcn!.b)));
  };

  return {
    config,
    variables: store.entries,
    parameterCount: countParameters(store.entries),
    predict(visual) {
      const [batch, gh, gw, channels] = visual.shape;
      if (gh !== g || gw !== g || channels !== cv) {
        throw new Error(`reconstructor expects visual features [B, ${g}, ${g}, ${cv}], got [${visual.shape.join(', ')}]`);
      }
      let h = linear(tf.reshape(visual, [batch * g * g, cv]), embedW, embedB);
      if (nla) h = attend(h, batch);
      if (gcn) h = convolveGraph(h, batch);
      const out = linear(gelu(linear(h, head1W, head1B)), head2W, head2B);
      return resizeAlignCorners(tf.reshape(out, [batch, g, g, cg]), config.geometricGrid);
    },
    dispose() {
      for (const v of store.entries) v.variable.dispose();
      invSqrtDegree.dispose();
    },
  };
}
