// `python` on a GBase coordinator: enough of CPython 2.7.5's command line for the seed's
// `import gcware` / `gcware.flush_statemachine()`. Like the real interpreter, expression values
// are echoed only in interactive mode (a terminal on stdin, or -i); a script must `print` them.
import { existsSync, readFileSync } from "node:fs";
import { flushDurationMs, misconfigured, onHost, type ToolContext, type ToolResult } from "./context";
import { requestFlush } from "./gcware-model";
import { PYTHON_BANNER, PythonSession, type GcwareBinding, type LineOutcome } from "./python-session";
import { isLineFault, parseLine } from "./python-syntax";

export type PythonInvocation =
  | { kind: "version" }
  | { kind: "usage-error"; message: string }
  | { kind: "run"; forceInteractive: boolean; source: { from: "stdin" } | { from: "command"; code: string } | { from: "file"; path: string } };

const USAGE_TAIL = "usage: python [option] ... [-c cmd | -m mod | file | -] [arg] ...\nTry `python -h' for more information.\n";

export function parsePythonArgv(argv: readonly string[]): PythonInvocation {
  let forceInteractive = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (a === "-i") forceInteractive = true;
    else if (a === "-V" || a === "--version") return { kind: "version" };
    else if (a === "-c") {
      const code = argv[i + 1];
      if (code === undefined) return { kind: "usage-error", message: `Argument expected for the -c option\n${USAGE_TAIL}` };
      return { kind: "run", forceInteractive, source: { from: "command", code } };
    } else if (a === "-") return { kind: "run", forceInteractive, source: { from: "stdin" } };
    else if (a.startsWith("-")) return { kind: "usage-error", message: `Unknown option: ${a}\n${USAGE_TAIL}` };
    else return { kind: "run", forceInteractive, source: { from: "file", path: a } };
  }
  return { kind: "run", forceInteractive, source: { from: "stdin" } };
}

export function gcwareBinding(ctx: ToolContext): GcwareBinding | ToolResult {
  const available = onHost(ctx, (_state, roles) => (roles.coordinator || roles.dataNode ? roles.coordinator !== undefined : null));
  if (available === null) return misconfigured("python", `KEEL_LAB_HOST ${ctx.host} is not a node of this cluster`);
  return {
    available,
    flush: () => onHost(ctx, (state, roles) => (roles.coordinator ? requestFlush(state, roles.coordinator, ctx.now(), flushDurationMs(ctx)) : 0)),
  };
}

/** Compiles the whole script first (a SyntaxError anywhere runs nothing), then runs it. */
function runScript(session: PythonSession, source: string): ToolResult {
  const lines = source.split("\n");
  const compiled = [];
  for (const [n, line] of lines.entries()) {
    const c = parseLine(line);
    if (isLineFault(c)) return { code: 1, stdout: "", stderr: session.syntaxErrorText(c, line, n + 1) };
    compiled.push(c);
  }
  let stdout = "";
  for (const [n, statements] of compiled.entries()) {
    const out = session.run(statements, n + 1);
    stdout += out.stdout;
    if (out.failed) return { code: 1, stdout, stderr: out.stderr };
    if (out.exitCode !== null) return { code: out.exitCode, stdout, stderr: out.stderr };
  }
  return { code: 0, stdout, stderr: "" };
}

/** One line typed at `>>> `; interactive sessions survive errors. */
export function interactiveLine(session: PythonSession, line: string): LineOutcome {
  const c = parseLine(line);
  if (isLineFault(c)) return { stdout: "", stderr: session.syntaxErrorText(c, line, 1), exitCode: null, failed: true };
  return session.run(c, 1);
}

/** Non-terminal run: the whole of stdin is available up front. */
export function runPython(ctx: ToolContext, argv: readonly string[], stdin: string, stdinIsTerminal = false): ToolResult {
  const invocation = parsePythonArgv(argv);
  if (invocation.kind === "version") return { code: 0, stdout: "", stderr: "Python 2.7.5\n" };
  if (invocation.kind === "usage-error") return { code: 2, stdout: "", stderr: invocation.message };
  const binding = gcwareBinding(ctx);
  if ("code" in binding) return binding;
  const { source, forceInteractive } = invocation;

  let prelude: ToolResult = { code: 0, stdout: "", stderr: "" };
  if (source.from !== "stdin") {
    const file = source.from === "file" ? source.path : null;
    if (file !== null && !existsSync(file))
      return { code: 2, stdout: "", stderr: `python: can't open file '${file}': [Errno 2] No such file or directory\n` };
    const code = file !== null ? readFileSync(file, "utf8") : source.from === "command" ? source.code : "";
    prelude = runScript(new PythonSession(binding, file ?? "<string>", false), code);
    if (!forceInteractive || prelude.code !== 0) return prelude;
  }
  if (!(forceInteractive || stdinIsTerminal)) return runScript(new PythonSession(binding, "<stdin>", false), stdin);

  const session = new PythonSession(binding, "<stdin>", true);
  let stdout = prelude.stdout;
  let stderr = source.from === "stdin" ? PYTHON_BANNER : "";
  const lines = stdin.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const line of lines) {
    stderr += ">>> ";
    const out = interactiveLine(session, line);
    stdout += out.stdout;
    stderr += out.stderr;
    if (out.exitCode !== null) return { code: out.exitCode, stdout, stderr };
  }
  return { code: 0, stdout, stderr: stderr + ">>> \n" };
}
