// Entry of `dist/cli.js`.
import { main } from './main';
import { colourWanted } from './terminal';

// A reader that goes away (`netsnap check … | head`) is no failure: stop quietly. Any other write error
// (a full disk: ENOSPC) is one line and exit 2, never a stack trace under the "errors found" code 1.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(`netsnap: cannot write the output: ${error.code ?? error.message}\n`);
  process.exit(2);
});

main(
  process.argv.slice(2),
  (t) => void process.stdout.write(t),
  (t) => void process.stderr.write(t),
  { colour: colourWanted(process.stdout, process.env), columns: process.stdout.columns },
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`netsnap: ${String(error)}\n`);
    process.exitCode = 70;
  },
);
