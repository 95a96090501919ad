// The one place where argv becomes a POSIX shell command string. sshd hands the command string to the
// user's login shell (`$SHELL -c STRING`), so every argument is single-quoted: inside single quotes
// nothing is special except the quote itself, which is closed, escaped and reopened.

export class UnsafeArgumentError extends Error {
  override readonly name = "UnsafeArgumentError";
  constructor(
    readonly index: number,
    readonly reason: "nul-byte",
  ) {
    super(`argument ${index} contains a NUL byte, which no shell or execve can carry`);
  }
}

export function quoteArg(arg: string, index = 0): string {
  if (arg.includes("\0")) throw new UnsafeArgumentError(index, "nul-byte");
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export function quoteArgv(argv: readonly string[]): string {
  return argv.map((arg, i) => quoteArg(arg, i)).join(" ");
}

/** For reading, not for sending: arguments quoted only where a shell would need it. */
export function displayArgv(argv: readonly string[]): string {
  return argv.map((arg) => (/^[A-Za-z0-9_\-.,:/=@%+]+$/.test(arg) ? arg : quoteArg(arg.replaceAll("\0", "\\0")))).join(" ");
}
