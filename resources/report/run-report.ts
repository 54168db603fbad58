import { ConfigError } from "../errors";

/** Runs a report's command line with the stack named first, as the helper scripts do. */
export function runReport(main: (stack: string | undefined, flags: string[]) => void): void {
  const args = process.argv.slice(2);
  try {
    main(
      args.find((arg) => !arg.startsWith("-")),
      args.filter((arg) => arg.startsWith("-")),
    );
  } catch (err) {
    // A ConfigError says what to fix; a stack trace would bury it. Anything else is a bug: its trace shows.
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}
