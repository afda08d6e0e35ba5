// The library entry (`dist/core.js`, typed by `dist/core.d.ts`): what the CLI and a library user need —
// parse a snapshot, analyse, trace, diff, the model and finding types, the graph builders. Everything else
// stays behind its module; the extension's language features import `language/` themselves.

// Parsing: a transcript into a snapshot (sections, parsers, the model).
export { parseSnapshot, parseSnapshotReusing, looksBinary, type SectionMemo } from './pipeline/parse';
export { splitSnapshot, cleanLines, type Section, type SplitResult } from './snapshot/split';
export { parsers, parserById } from './parsers';
export type { Parser, ParserId, ParserInput, ParseResult, Line, CommandLine } from './parsers/parser';

// The model: every record a snapshot holds, each with the file and line it came from.
export type * from './model/types';

// Analysis: findings, a packet's path, the difference between two captures.
export { analyze, type Analysis, type NodeSummary, type SkippedCheck } from './analysis/analyze';
export { FINDING_CODES, type Finding, type FindingCode, type RelatedLocation } from './analysis/findings';
export { trace, lookupRoute, type TraceResult, type TraceHop, type HopKind } from './analysis/trace';
export {
  diffSnapshots,
  type SnapshotDiff,
  type DiffSummary,
  type HostDiff,
  type DiffEntry,
  type DiffEntryKind,
  type AddedEntry,
  type RemovedEntry,
  type ChangedEntry,
  type FieldChange,
  type NotCompared,
} from './analysis/diff';

// The graph: renderer-neutral elements of a cluster or a node, a trace laid onto them, and the messages
// of the graph webview.
export {
  ClusterGraphSource,
  FULL_MESH_LIMIT,
  nodeId,
  buildNodeGraph,
  VETH_LIMIT,
  REMOTE_LIMIT,
  traceOnGraph,
  type NodeGraphOptions,
} from './graph';
export type {
  GraphModel,
  GraphNode,
  GraphNodeKind,
  GraphEdge,
  GraphEdgeKind,
  GraphLoc,
  GraphStats,
  Health,
  TunnelEnd,
  EntryState,
} from './graph/types';
export type {
  HostToWebview,
  WebviewToHost,
  GraphViewState,
  GraphLayout,
  TraceHopView,
} from './graph/protocol';
