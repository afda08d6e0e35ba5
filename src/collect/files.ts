// Pure helpers for saving collected snapshots: timestamped names that never collide with an existing
// file, and a runner that collects from several hosts with bounded parallelism. No I/O here: the
// caller passes the names that exist and does the writing (with the `wx` flag as the last guard).

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYYMMDD-HHMMSS` in local time. */
export function timestamp(date: Date): string {
  return (
    `${pad(date.getFullYear(), 4)}${pad(date.getMonth() + 1)}${pad(date.getDate())}-` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
  );
}

/** A node or host name made safe as one file-name component (no separators, no leading dot or dash). */
export function safeFileComponent(name: string): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9._@-]+/g, '_')
    .replace(/^[.\-_]+/, '')
    .slice(0, 100);
  return cleaned === '' ? 'node' : cleaned;
}

/**
 * `<base><ext>` if no name in `existing` is taken (compared case-insensitively, for case-insensitive
 * file systems), else `<base>-2<ext>`, `<base>-3<ext>`, …
 */
export function uniqueName(base: string, ext: string, existing: Iterable<string>): string {
  const taken = new Set<string>();
  for (const name of existing) taken.add(name.toLowerCase());
  for (let i = 1; ; i++) {
    const name = i === 1 ? `${base}${ext}` : `${base}-${i}${ext}`;
    if (!taken.has(name.toLowerCase())) return name;
  }
}

/** `<node>-<YYYYMMDD-HHMMSS>.netsnap`, not among `existing`. */
export function snapshotFileName(node: string, date: Date, existing: Iterable<string> = []): string {
  return uniqueName(`${safeFileComponent(node)}-${timestamp(date)}`, '.netsnap', existing);
}

/** `cluster-<YYYYMMDD-HHMMSS>`, not among `existing`. */
export function clusterFolderName(date: Date, existing: Iterable<string> = []): string {
  return uniqueName(`cluster-${timestamp(date)}`, '', existing);
}

export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Runs `task` on every item, at most `limit` at once, starting them in order. Never rejects: each
 * item's outcome is returned in the items' order. A task that throws does not stop the others.
 */
export async function runBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<Settled<R>[]> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a positive integer: ${limit}`);
  const results: Settled<R>[] = new Array<Settled<R>>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { ok: true, value: await task(items[index] as T, index) };
      } catch (error) {
        results[index] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, () => worker()));
  return results;
}
