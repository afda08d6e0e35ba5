// Types for build-types.mjs (imported by the tests).
export function buildTypes(outDir?: string): string[];
