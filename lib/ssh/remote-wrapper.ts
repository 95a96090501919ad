import { quoteArgv } from "./quote";

// Runs on the remote host in front of every command, so that a timed-out, cancelled or orphaned
// command really dies even where the server ignores the SSH "signal" request.
//
// The channel's stdin is kept open by the client for the whole command and used as a lifeline: a
// watchdog blocks reading it, and when it hits EOF (the client closed the channel or the connection
// dropped) it SIGKILLs the whole process group: sshd makes each session its own group, and the
// command inherits it. Caller stdin, if any, is sent first as exactly $1 bytes and handed to the
// command from a file, so the watchdog never eats it.
const wrapperScript = [
  'n=$1; shift',
  'exec 3<&0 4</dev/null',
  'if [ "$n" -gt 0 ]; then',
  '  t=$(mktemp) || exit 125',
  '  head -c "$n" <&3 >"$t" || exit 125',
  '  exec 4<"$t"',
  '  rm -f "$t"',
  'fi',
  '( while read -r _; do :; done; kill -KILL 0 ) <&3 >/dev/null 2>&1 &',
  'w=$!',
  '"$@" <&4 3<&- 4<&-',
  's=$?',
  'kill "$w" 2>/dev/null',
  'exit "$s"',
].join("\n");

export function wrappedCommand(argv: readonly string[], stdinBytes: number): string {
  return `exec ${quoteArgv(["sh", "-c", wrapperScript, "keel-exec", String(stdinBytes), ...argv])}`;
}

// sshd passes the command string to the login shell as a single argument, and Linux caps one
// argument at 128 KiB (MAX_ARG_STRLEN).
export const maxCommandBytes = 128 * 1024 - 1024;
