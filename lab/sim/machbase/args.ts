// argv → one action plus its companion options, in the real tools' `--option=value` style.
export type ParsedArgs = { action: string; value: string | undefined; options: Map<string, string> };
export type ArgsResult = { ok: true; args: ParsedArgs } | { ok: false; message: string };

const SHORT_FLAGS: Record<string, string> = { "-u": "startup", "-s": "shutdown", "-k": "kill", "-e": "check", "-h": "help" };

/**
 * @param actions options that select what the tool does (exactly one per invocation)
 * @param companions options that only qualify an action (--group, --file-name, --package-name)
 */
export function parseArgs(argv: readonly string[], actions: ReadonlySet<string>, companions: ReadonlySet<string>): ArgsResult {
  let action: { name: string; value: string | undefined } | null = null;
  const options = new Map<string, string>();
  for (const token of argv) {
    const short = SHORT_FLAGS[token];
    const match = short ? [token, short, undefined] : /^--([a-z][a-z-]*)(?:=(.*))?$/.exec(token);
    if (!match) return { ok: false, message: `Invalid argument (${token}).` };
    const name = match[1] ?? "";
    const value = match[2];
    if (actions.has(name)) {
      if (action) return { ok: false, message: `Options --${action.name} and --${name} cannot be used together.` };
      action = { name, value };
    } else if (companions.has(name)) {
      if (value === undefined || value === "") return { ok: false, message: `Option --${name} requires a value (--${name}=VALUE).` };
      options.set(name, stripQuotes(value));
    } else {
      return { ok: false, message: `Unknown option (--${name}).` };
    }
  }
  if (!action) return { ok: true, args: { action: "help", value: undefined, options } };
  return { ok: true, args: { action: action.name, value: action.value === undefined ? undefined : stripQuotes(action.value), options } };
}

// The seed writes --group='group_name'; a shell strips the quotes, an argv array built by hand may not.
function stripQuotes(value: string): string {
  return /^'.*'$|^".*"$/.test(value) ? value.slice(1, -1) : value;
}
