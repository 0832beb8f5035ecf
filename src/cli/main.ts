import { runReqaseCli } from './program.ts';

/** Commands that run until stopped: they keep V8's defaults for regular expressions. */
const LONG_RUNNING = new Set(['serve', 'worker']);

// A short command compiles each regular expression it meets once and runs it a few times, and
// compiling is what costs: the offline engine and the quality lint meet about 270 of them, and
// compiling took 30% of `reqase generate --offline login.md`'s instructions (valgrind). By default
// V8 compiles a regular expression twice (bytecode first, machine code from its second run on) and
// optimises the machine code; one unoptimised compile cuts the command's instructions by a fifth
// (bench/start.ts). Matching is unchanged; only a long run of the same expression is slower (about
// 10%), so the server and the worker keep the defaults. V8 reads the flags when it compiles an
// expression, on its first use, after these lines. Not for `reqase --help` and `--version`, which
// use none: loading node:v8 costs a tenth of their start.
const command = process.argv.slice(2).find((word) => !word.startsWith('-'));
if (command !== undefined && !LONG_RUNNING.has(command)) {
  const { setFlagsFromString } = await import('node:v8');
  setFlagsFromString('--no-regexp-tier-up');
  setFlagsFromString('--no-regexp-optimization');
}

// `reqase case list | head`: a reader that closes the pipe ends the command quietly, as for any
// Unix tool, instead of an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw error;
  });
}

process.exitCode = await runReqaseCli(process.argv);
