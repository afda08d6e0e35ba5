// Types for code-server.mjs (imported by the e2e harness).
import type { ChildProcess } from 'node:child_process';

export const QUIET_SETTINGS: Record<string, unknown>;
export function freePort(): Promise<number>;
export function e2eCacheDir(env?: NodeJS.ProcessEnv): string;
export function codeServerIn(cache: string): { codeServer: string; node24: string } | undefined;
export function serveWithExtension(options: {
  cache: string;
  vsix: string;
  folder: string;
  state: string;
  cwd?: string;
}): Promise<{ server: ChildProcess; url: string }>;
