import { runReqaseCli } from './program.ts';

// `reqase case list | head`: a reader that closes the pipe ends the command quietly, as for any
// Unix tool, instead of an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw error;
  });
}

process.exitCode = await runReqaseCli(process.argv);
