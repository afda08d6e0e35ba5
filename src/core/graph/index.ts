// Model → renderer-neutral graph elements for the graph webview (and anything else that draws).

export * from './types';
export * from './protocol';
export { ClusterGraphSource, FULL_MESH_LIMIT, nodeId } from './cluster';
export { buildNodeGraph, VETH_LIMIT, REMOTE_LIMIT, type NodeGraphOptions } from './node';
export { tunnelEnd } from './tunnels';
export { traceOnGraph } from './trace';
export { graphPage, graphCsp, makeNonce, type GraphPageOptions } from './html';
