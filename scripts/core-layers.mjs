// The layers of `src/core`, lowest first (read by eslint.config.mjs, which turns them into import rules,
// and by test/unit/architecture.test.ts). A folder may import its own layer and the layers before it,
// never a later one nor a peer in its own layer. Text flows snapshot → parsers → model, but the splitter
// (`snapshot/`) asks the parser registry which parser reads each section, so in imports the parsers sit
// below it; `pipeline/` runs split → parse → build and sits above all three.
export const CORE_LAYERS = [
  ['util'],
  ['parsers'],
  ['snapshot'],
  ['model'],
  ['pipeline'],
  ['analysis'],
  ['graph', 'language'],
];

/**
 * The model's vocabulary (types only, importing nothing but `util/`): every layer speaks it, so it counts
 * as the bottom layer although it lives beside the model builder.
 */
export const MODEL_VOCABULARY = 'model/types';
