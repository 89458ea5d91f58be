// The geometric feature extractor's public surface.
export { computeGeometricFeatures, computePixelDescriptors, featureChannelNames, medianPointSpacing, normalizeFeatureOptions, FPFH_SCALE } from './geometric-features.js';
export type { FeatureOptions, NormalizedFeatureOptions, PixelDescriptors } from './geometric-features.js';
export { computeFpfh, findWindowNeighbours, FPFH_BINS } from './fpfh.js';
export { computeLocalGeometry } from './local-geometry.js';
export type { LocalGeometry, OrganizedCloud } from './local-geometry.js';
