// Language services for editors: pure functions over a `SnapshotWorkspace`, no `vscode` import. The VS
// Code extension (src/extension) is a thin adapter over these; they are unit-tested in plain Node.

export {
  SnapshotWorkspace,
  folderOf,
  type DocLocation,
  type HostRef,
  type WorkspaceOptions,
} from './workspace';
export { tokenAt, tokensInLine, classify, mentions, maskAnsi, type Token, type TokenKind } from './tokens';
export {
  escapeMarkdown,
  codeBlock,
  renderMarkdown,
  renderPlain,
  type HoverPart,
  type HoverItem,
  type Mark,
  type ListRole,
} from './markdown';
export { FINDINGS_DOC, findingDocLines, findingHeading } from './finding-docs';
export { hoverAt, hoverForToken, SHOW_ANALYSIS_COMMAND, type HoverResult } from './hover';
export { referencesOf, definitionsOf, tokenAtPosition, type RangeLocation } from './references';
export { documentSymbols, type SymbolNode, type SymbolKind } from './symbols';
export {
  diagnosticsByDocument,
  describeFinding,
  type DiagnosticDescriptor,
  type RelatedDescriptor,
  type DiagnosticOptions,
} from './diagnostics';
export {
  canRun,
  collectedVia,
  commandsFor,
  COPY_FIX_ACTION,
  fixActions,
  fixCommands,
  fixReport,
  isSafeToRun,
  resolveFinding,
  runConfirmation,
  runFix,
  runPlace,
  refOf,
  RUN_FIX_ACTION,
  type FindingRef,
  type FixAction,
  type RunFixHost,
  type RunFixOutcome,
  type RunPlace,
  type ExecTransport,
  type RunTransport,
  type Transport,
} from './actions';
export { normalizeClipboard, guessCommand, type NormalizedSnapshot } from './clipboard';
export { buildTree, contextValue, type TreeNode, type TreeKind } from './tree';
export {
  traceReport,
  traceSources,
  validateTraceTarget,
  formatTrace,
  formatDiff,
  compareReport,
  analysisReport,
  type Report,
  type ReportLink,
  type CompareInput,
} from './reports';
export {
  captureChoices,
  defaultTraceSource,
  traceChoices,
  type CaptureChoice,
  type TraceChoice,
  type TraceSource,
} from './prompts';
