// Colours come from the workbench theme (`--vscode-*` variables on the webview's root), read when the
// graph is drawn and again when the theme changes (VS Code swaps the body's `vscode-light` / `vscode-dark`
// / `vscode-high-contrast` class).

export interface Theme {
  background: string;
  foreground: string;
  muted: string;
  border: string;
  ok: string;
  warning: string;
  error: string;
  unknown: string;
  accent: string;
  selection: string;
  font: string;
  highContrast: boolean;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

export function readTheme(): Theme {
  const style = getComputedStyle(document.documentElement);
  const dark = !document.body.classList.contains('vscode-light');
  return {
    background: cssVar(style, '--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'),
    foreground: cssVar(style, '--vscode-editor-foreground', dark ? '#cccccc' : '#333333'),
    muted: cssVar(style, '--vscode-descriptionForeground', dark ? '#9d9d9d' : '#717171'),
    border: cssVar(style, '--vscode-panel-border', dark ? '#555555' : '#c8c8c8'),
    ok: cssVar(style, '--vscode-charts-green', '#89d185'),
    warning: cssVar(style, '--vscode-charts-yellow', '#cca700'),
    error: cssVar(style, '--vscode-charts-red', '#f14c4c'),
    unknown: cssVar(style, '--vscode-disabledForeground', '#8b8b8b'),
    accent: cssVar(style, '--vscode-charts-blue', '#3794ff'),
    selection: cssVar(style, '--vscode-focusBorder', '#007fd4'),
    font: cssVar(style, '--vscode-font-family', 'sans-serif'),
    highContrast: document.body.classList.contains('vscode-high-contrast'),
  };
}

/** Calls `onChange` whenever VS Code switches the theme. */
export function watchTheme(onChange: () => void): void {
  new MutationObserver(onChange).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
