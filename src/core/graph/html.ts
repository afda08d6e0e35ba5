// The graph webview's page: a strict CSP (scripts only with this page's nonce, styles and images only
// from the bundle's origin), the bundle's stylesheet under the id cytoscape looks for (so it injects no
// <style> of its own), and an empty #app the bundle fills. Used by the extension and the test harness.

export interface GraphPageOptions {
  /** `webview.cspSource` (or the harness's origin). */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function graphCsp(o: Pick<GraphPageOptions, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `img-src ${o.cspSource} data: blob:`,
    `style-src ${o.cspSource}`,
    `font-src ${o.cspSource}`,
    `script-src 'nonce-${o.nonce}'`,
  ].join('; ');
}

export function graphPage(o: GraphPageOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(graphCsp(o))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="__________cytoscape_stylesheet" href="${attr(o.styleUri)}">
<title>netsnap graph</title>
</head>
<body>
<div id="app"></div>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>
`;
}

/** A nonce for one page load: 32 characters from a CSPRNG. */
export function makeNonce(random: (bytes: Uint8Array) => Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(random(new Uint8Array(32)), (b) => alphabet[b % alphabet.length]).join('');
}
