/** Exit codes from the design's CLI contract. */
export const ExitCode = {
  ok: 0,
  notFound: 1,
  usage: 2,
  store: 3,
  decode: 4,
} as const;

type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure that ends the command with a contract exit code and a one-line message. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCodeValue,
    message: string,
  ) {
    super(message);
  }
}
