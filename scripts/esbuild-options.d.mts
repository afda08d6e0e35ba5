// Types for esbuild-options.mjs (imported by the tests).
import type { BuildOptions } from 'esbuild';

export const NODE_BUNDLE: BuildOptions;
