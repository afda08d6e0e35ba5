// Entry of `dist/cli.js`.
import { main } from './main';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`netsnap: ${String(error)}\n`);
    process.exitCode = 70;
  },
);
