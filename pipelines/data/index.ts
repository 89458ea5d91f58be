// The data layer's public surface: discovery, reading, preprocessing, the cache and dataset preparation.
export type * from './types.js';
export { discoverDataset, listSamples, SPLITS } from './discover.js';
export type { DiscoverOptions } from './discover.js';
export { readSample, readSampleFiles, readWholeFile, decodeSample, iterateSamples, zeroNonFinitePoints } from './read-sample.js';
export type { SampleFiles } from './read-sample.js';
export { prepareSample, normalizePrepareOptions } from './prepare-sample.js';
export type { PrepareOptions, NormalizedPrepareOptions } from './prepare-sample.js';
export { fitBorderPlane, removePlane, keepLargestComponent } from './plane-removal.js';
export type { Plane } from './plane-removal.js';
export { resizeArea, resizeNearest } from './resize.js';
export { loadOrPrepare, loadOrComputeFeatures, loadSampleData, prepareCacheKey, featuresCacheKey, cachePath } from './cache.js';
export type { SampleData, SampleDataOptions } from './cache.js';
export { prepareDataset, prepareSamples, normalizePrepareDatasetOptions } from './prepare-dataset.js';
export type { PrepareDatasetOptions, PrepareDatasetResult, PrepareSamplesOptions, PrepareSamplesResult } from './prepare-dataset.js';
export { inspectDataset, formatInspectReport } from './inspect.js';
export type { InspectOptions, InspectReport, InspectRow } from './inspect.js';
export { computeGeometricFeatures, normalizeFeatureOptions } from '../features/geometric-features.js';
export type { FeatureOptions } from '../features/geometric-features.js';
