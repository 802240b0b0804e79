/**
 * A reader that goes away (`duckdag list --json | head`) is not an error of the command: what it
 * would still have printed is dropped, and the command finishes as it would have, without a stack trace.
 */
export function ignoreBrokenPipe(stream: NodeJS.WritableStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}
