// Types for extension-bundles.mjs (imported by the unit tests).
import type { BuildOptions } from 'esbuild';

export const ENTRY: string;
export const MAIN: string;
export function extensionBuilds(common: BuildOptions): BuildOptions[];
