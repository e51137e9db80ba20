// Keeps a long-running subcommand alive until Ctrl-C / SIGTERM, then closes it cleanly.

/** Resolves once SIGINT or SIGTERM arrived and `close()` finished. */
export function runUntilSignal(close: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.stdout.write("stopping...\n");
      void close().then(resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
