// Findings about one cause on one node, aggregated when there are many: a node that misses the routes
// of 1,999 peers gets one finding naming the count and a sample, not 1,999 (nor 4 million across the
// cluster: issue 11 found 2,000 such nodes exhausting 4 GB). Up to the threshold each instance stays its
// own finding, with the message it always had.

/** Above this many instances of one cause on one node, they make one finding. */
export const AGGREGATE_ABOVE = 10;

/** How many instances an aggregated finding names, relates and fixes. */
export const SAMPLE_SIZE = 10;

/** 1998 → "1,998": counts in messages as people read them, as the hover writes sizes (en-US, fixed). */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** The first SAMPLE_SIZE of `names`, and how many more there are of `total`: "a, b, c and 1,988 more". */
export function sampleList(names: readonly string[], total = names.length): string {
  const shown = names.slice(0, SAMPLE_SIZE);
  const more = total - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${count(more)} more` : shown.join(', ');
}
