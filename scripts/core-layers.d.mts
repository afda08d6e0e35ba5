// Types for core-layers.mjs (imported by the tests).
export const CORE_LAYERS: readonly (readonly string[])[];
export const MODEL_VOCABULARY: string;
