// Evaluates parsed statements the way CPython 2.7 would for this tiny language, with the `gcware`
// module's flush_statemachine() wired to the simulated cluster.
import type { Expr, Statement, SyntaxFault } from "./python-syntax";

export const PYTHON_BANNER =
  "Python 2.7.5 (default, Aug  2 2016, 04:20:16)\n" +
  "[GCC 4.8.5 20150623 (Red Hat 4.8.5-4)] on linux2\n" +
  'Type "help", "copyright", "credits" or "license" for more information.\n';
export const QUIT_HINT = "Use quit() or Ctrl-D (i.e. EOF) to exit";

type Value =
  | { kind: "int"; value: number }
  | { kind: "module"; name: "gcware" }
  | { kind: "builtin"; name: "flush_statemachine" }
  | { kind: "quitter"; name: "quit" | "exit" }
  | { kind: "none" };

export type GcwareBinding = {
  /** Whether `import gcware` works on this host (the module ships with gcware). */
  available: boolean;
  /** Sends the flush request; 1 when sent, 0 otherwise. */
  flush: () => number;
};

class PythonError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}
class SystemExit extends Error {
  constructor(readonly code: number) {
    super("exit");
  }
}

export type LineOutcome = { stdout: string; stderr: string; exitCode: number | null; failed: boolean };

const typeName = (v: Value): string =>
  v.kind === "int" ? "int" : v.kind === "module" ? "module" : v.kind === "builtin" ? "builtin_function_or_method" : v.kind === "quitter" ? "Quitter" : "NoneType";

function repr(v: Value): string {
  switch (v.kind) {
    case "int":
      return String(v.value);
    case "module":
      return "<module 'gcware' from '/opt/gcluster/server/lib/gcware.so'>";
    case "builtin":
      return "<built-in function flush_statemachine>";
    case "quitter":
      return QUIT_HINT;
    case "none":
      return "None";
  }
}

export class PythonSession {
  private readonly modules = new Set<string>();

  constructor(
    private readonly gcware: GcwareBinding,
    /** `<stdin>`, `<string>` or a script path, as tracebacks name it. */
    private readonly filename: string,
    private readonly interactive: boolean,
  ) {}

  syntaxErrorText(fault: SyntaxFault, line: string, lineNumber: number): string {
    const caret = " ".repeat(4 + fault.column) + "^";
    return `  File "${this.filename}", line ${lineNumber}\n    ${line.replace(/^[ \t]+/, "")}\n${caret}\n${fault.kind}: ${fault.message}\n`;
  }

  run(statements: Statement[], lineNumber: number): LineOutcome {
    let stdout = "";
    try {
      for (const st of statements) stdout += this.exec(st);
      return { stdout, stderr: "", exitCode: null, failed: false };
    } catch (e) {
      if (e instanceof SystemExit) return { stdout, stderr: "", exitCode: e.code, failed: false };
      if (e instanceof PythonError) {
        const where = `  File "${this.filename}", line ${lineNumber}, in <module>\n`;
        return { stdout, stderr: `Traceback (most recent call last):\n${where}${e.type}: ${e.message}\n`, exitCode: null, failed: true };
      }
      throw e;
    }
  }

  private exec(st: Statement): string {
    switch (st.kind) {
      case "import":
        for (const m of st.modules) {
          if (m !== "gcware" || !this.gcware.available) throw new PythonError("ImportError", `No module named ${m}`);
          this.modules.add(m);
        }
        return "";
      case "print":
        return (st.value ? repr(this.eval(st.value)) : "") + "\n";
      case "expr": {
        const v = this.eval(st.value);
        return this.interactive && v.kind !== "none" ? repr(v) + "\n" : "";
      }
    }
  }

  private eval(e: Expr): Value {
    switch (e.kind) {
      case "int":
        return { kind: "int", value: e.value };
      case "name":
        if (e.name === "gcware" && this.modules.has("gcware")) return { kind: "module", name: "gcware" };
        if (e.name === "quit" || e.name === "exit") return { kind: "quitter", name: e.name };
        if (e.name === "None") return { kind: "none" };
        throw new PythonError("NameError", `name '${e.name}' is not defined`);
      case "attr": {
        const target = this.eval(e.target);
        if (target.kind === "module" && e.name === "flush_statemachine") return { kind: "builtin", name: "flush_statemachine" };
        throw new PythonError("AttributeError", `'${typeName(target)}' object has no attribute '${e.name}'`);
      }
      case "call": {
        const callee = this.eval(e.callee);
        const args = e.args.map((a) => this.eval(a));
        if (callee.kind === "builtin") {
          if (args.length > 0) throw new PythonError("TypeError", `flush_statemachine() takes no arguments (${args.length} given)`);
          return { kind: "int", value: this.gcware.flush() };
        }
        if (callee.kind === "quitter") {
          const [code] = args;
          if (args.length > 1) throw new PythonError("TypeError", `__call__() takes at most 2 arguments (${args.length + 1} given)`);
          throw new SystemExit(code?.kind === "int" ? code.value : code === undefined || code.kind === "none" ? 0 : 1);
        }
        throw new PythonError("TypeError", `'${typeName(callee)}' object is not callable`);
      }
    }
  }
}

