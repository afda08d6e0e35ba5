// Types for docs.mjs (imported by test/unit/docs.test.ts).
export const REFRESH: string;
export const TARGETS: readonly { path: string }[];
export function fillRegion(text: string, name: string, body: string): string;
export function generatedDocs(root: string, content: unknown): Promise<{ path: string; text: string }[]>;
