// The library entry (`dist/core.js`): parse transcripts into a model. Analysis and trace join here as they land.

export { parseSnapshot, looksBinary } from './pipeline/parse';
export { splitSnapshot, cleanLines } from './snapshot/split';
export { parsers, parserById } from './parsers';
export type * from './model/types';
export type { Parser, ParserId, ParseResult, Line, CommandLine } from './parsers/parser';
export { analyze } from './analysis/analyze';
export type { Analysis, NodeSummary, SkippedCheck } from './analysis/analyze';
export type { Finding, FindingCode, RelatedLocation } from './analysis/findings';
export { FINDING_CODES } from './analysis/findings';
export { trace, lookupRoute } from './analysis/trace';
export type { TraceResult, TraceHop, HopKind } from './analysis/trace';
export * from './analysis/diff';
export * from './graph';
