// The `python` simulator: the seed's interactive use, script use, and Python 2.7's errors.
import { describe, expect, it } from "vitest";
import { parseFlushReplies } from "../../../lib/engines/gbase/parse-python";
import { readFixture } from "../../../lib/engines/gbase/fixtures";
import { gcwareBinding, interactiveLine } from "./python-cli";
import { PYTHON_BANNER, PythonSession } from "./python-session";
import { HOSTS, makeLab } from "./testing";

describe("python on a coordinator", () => {
  const lab = makeLab({ version: "V952" });
  const host = HOSTS[1];

  it("replays the seed's second session: prompts and banner on stderr, values on stdout", () => {
    const r = lab.python(host, ["-i"], "import gcware;\ngcware.flush_statemachine()\nquit\nquit()\n");
    expect(r).toEqual({ code: 0, stdout: "1\nUse quit() or Ctrl-D (i.e. EOF) to exit\n", stderr: `${PYTHON_BANNER}>>> >>> >>> >>> ` });
    expect(parseFlushReplies(r.stdout)).toEqual({ ok: true, value: { replies: [1], pythonErrors: [] } });
  });

  it.each(["pythonFlushFourTimes", "pythonFlushThenQuit"] as const)("reproduces the seed's terminal transcript %s", (fixture) => {
    // On a terminal the typed input is echoed after each prompt; everything lands on one screen.
    const seed = readFixture(fixture);
    const typed = seed.split("\n").filter((l) => l.startsWith(">>> ")).map((l) => l.slice(4));
    const binding = gcwareBinding(lab.ctx(host));
    if ("code" in binding) throw new Error(binding.stderr);
    const session = new PythonSession(binding, "<stdin>", true);
    let screen = PYTHON_BANNER;
    for (const line of typed) {
      const out = interactiveLine(session, line);
      screen += `>>> ${line}\n${out.stdout}${out.stderr}`;
      if (out.exitCode !== null) break;
    }
    expect(screen).toBe(seed);
  });

  it("does not echo expression values in a piped script, as CPython does not", () => {
    expect(lab.python(host, [], "import gcware\ngcware.flush_statemachine()\n")).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(lab.python(host, [], "import gcware\nprint gcware.flush_statemachine()\n").stdout).toBe("1\n");
    expect(lab.python(host, ["-"], "import gcware\nprint(gcware.flush_statemachine())\n").stdout).toBe("1\n");
  });

  it.each([
    [["-c", "import foo"], 'Traceback (most recent call last):\n  File "<string>", line 1, in <module>\nImportError: No module named foo\n'],
    [["-c", "gcware.flush_statemachine()"], 'Traceback (most recent call last):\n  File "<string>", line 1, in <module>\nNameError: name \'gcware\' is not defined\n'],
    [["-c", "import gcware\ngcware.flush()"], 'Traceback (most recent call last):\n  File "<string>", line 2, in <module>\nAttributeError: \'module\' object has no attribute \'flush\'\n'],
    [["-c", "import gcware; gcware.flush_statemachine(1)"], 'Traceback (most recent call last):\n  File "<string>", line 1, in <module>\nTypeError: flush_statemachine() takes no arguments (1 given)\n'],
    [["-c", "import gcware\ngcware flush"], '  File "<string>", line 2\n    gcware flush\n               ^\nSyntaxError: invalid syntax\n'],
    [["-c", "gcware.flush_statemachine("], '  File "<string>", line 1\n    gcware.flush_statemachine(\n                              ^\nSyntaxError: unexpected EOF while parsing\n'],
    [["-c", "  import gcware"], '  File "<string>", line 1\n    import gcware\n    ^\nIndentationError: unexpected indent\n'],
  ])("python %j fails like Python 2.7", (argv, stderr) => {
    expect(lab.python(host, argv)).toEqual({ code: 1, stdout: "", stderr });
  });

  it("compiles a whole script before running it: a late SyntaxError sends nothing", () => {
    const r = lab.python(host, [], "import gcware\nprint gcware.flush_statemachine()\nimport gcware as g\n");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
  });

  it("keeps going after an error in an interactive session", () => {
    const r = lab.python(host, ["-i"], "import gcwar\nimport gcware\ngcware.flush_statemachine()\n");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("1\n");
    expect(r.stderr).toContain("ImportError: No module named gcwar\n");
    const replies = parseFlushReplies(r.stdout + r.stderr);
    expect(replies.ok && replies.value.pythonErrors).toEqual(["ImportError: No module named gcwar"]);
  });

  it("honours exit codes, --version and unknown options", () => {
    expect(lab.python(host, ["-c", "exit(3)"]).code).toBe(3);
    expect(lab.python(host, ["-V"])).toEqual({ code: 0, stdout: "", stderr: "Python 2.7.5\n" });
    expect(lab.python(host, ["-Q"]).code).toBe(2);
    expect(lab.python(host, ["/nonexistent.py"]).code).toBe(2);
  });
});

describe("python on a host without gcware", () => {
  it("cannot import gcware on a data-only node", () => {
    const lab = makeLab({ version: "V952" });
    const topologyless = lab.python("10.0.2.250", ["-c", "import gcware"]);
    expect(topologyless.code).toBe(70);
    expect(topologyless.stderr).toContain("not a node of this cluster");
  });
});
