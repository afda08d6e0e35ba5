// The API VS Code gives a webview's scripts (a stand-in provides it in the test harness).
interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): State;
}
declare function acquireVsCodeApi<State = unknown>(): VsCodeApi<State>;
