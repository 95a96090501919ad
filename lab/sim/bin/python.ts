import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { runMain } from "../gbase/main";
import { gcwareBinding, interactiveLine, parsePythonArgv, runPython } from "../gbase/python-cli";
import { PYTHON_BANNER, PythonSession } from "../gbase/python-session";
import { COMPLETER_FLAG, completeFlushes, spawnCompleterIfPending } from "../gbase/flush-completer";
import { contextFromEnv, type ToolResult } from "../gbase/context";

const argv = process.argv.slice(2);
const script = process.argv[1] ?? "";
const lab = contextFromEnv(process.env);
// After any run: a flush it requested finishes on its own, as gcware's does.
const finishFlushesLater = () => {
  if (lab.ok && script !== "") spawnCompleterIfPending(lab.context.stateDir, script);
};
const invocation = parsePythonArgv(argv);
const wantsTerminalSession = invocation.kind === "run" && invocation.source.from === "stdin" && process.stdin.isTTY === true;

if (argv[0] === COMPLETER_FLAG) {
  if (lab.ok) void completeFlushes(lab.context.stateDir);
} else if (wantsTerminalSession) {
  // A person at a terminal: answer each line as it is typed (the terminal echoes the input).
  runMain("python", (ctx) => {
    const binding = gcwareBinding(ctx);
    if ("code" in binding) return binding;
    const session = new PythonSession(binding, "<stdin>", true);
    process.stderr.write(PYTHON_BANNER + ">>> ");
    return new Promise<ToolResult>((resolve) => {
      const rl = createInterface({ input: process.stdin, terminal: false });
      rl.on("line", (line) => {
        const out = interactiveLine(session, line);
        process.stdout.write(out.stdout);
        process.stderr.write(out.stderr);
        if (out.exitCode !== null) {
          rl.close();
          resolve({ code: out.exitCode, stdout: "", stderr: "" });
        } else process.stderr.write(">>> ");
      });
      rl.on("close", () => resolve({ code: 0, stdout: "", stderr: "\n" }));
    }).then((result) => {
      finishFlushesLater();
      return result;
    });
  });
} else {
  const needsStdin = invocation.kind === "run" && (invocation.source.from === "stdin" || invocation.forceInteractive);
  const stdin = needsStdin ? readFileSync(0, "utf8") : "";
  runMain("python", (ctx, args) => {
    const result = runPython(ctx, args, stdin, process.stdin.isTTY === true);
    finishFlushesLater();
    return result;
  });
}
