import { readFile } from "node:fs/promises";
import path from "node:path";
import { MSG, TBR, tbrLine } from "../../../lib/engines/tibero/messages";
import { fail, isToolResult, labEnv, localNode, type ToolContext, type ToolResult } from "./context";
import { execute } from "./sql-exec";
import { parseStatement, splitScript } from "./sql-parse";
import { transact } from "./state";

const BANNER = "tbSQL 7 \n\nTmaxData Corporation Copyright (c) 2008-. All rights reserved.\n\n";
const USAGE = "Usage: tbsql username/password[@alias] [@script.sql]\n";

type Args = { user: string; password: string; script: string | undefined };

function parseArgs(argv: string[]): Args | string {
  const [login, scriptArg] = argv.filter((a) => a !== "-s" && a !== "-S");
  const m = /^([^/@]+)\/([^@]*)(?:@.*)?$/.exec(login ?? "");
  if (!m || !m[1] || m[2] === undefined) return USAGE;
  if (scriptArg !== undefined && !scriptArg.startsWith("@")) return USAGE;
  return { user: m[1].toLowerCase(), password: m[2], script: scriptArg?.slice(1) };
}

/** Expands `@file` includes (relative to the including file's directory) into one list of statements. */
async function collectStatements(text: string, baseDir: string, depth = 0): Promise<string[] | string> {
  const out: string[] = [];
  for (const item of splitScript(text)) {
    if ("sql" in item) {
      out.push(item.sql);
      continue;
    }
    if (depth > 8) return "too many nested @ includes";
    const file = path.resolve(baseDir, item.include);
    let inner: string;
    try {
      inner = await readFile(file, "utf8");
    } catch {
      return `SP2-0310: unable to open file "${item.include}"`;
    }
    const nested = await collectStatements(inner, path.dirname(file), depth + 1);
    if (typeof nested === "string") return nested;
    out.push(...nested);
  }
  return out;
}

export async function main(ctx: ToolContext): Promise<ToolResult> {
  const env = labEnv(ctx.env);
  if (typeof env === "string") return fail(`${env}\n`, 2);
  const args = parseArgs(ctx.argv);
  if (typeof args === "string") return fail(args);
  const cwd = ctx.cwd;
  let input = ctx.stdin;
  if (args.script !== undefined) {
    try {
      input = `${await readFile(path.resolve(cwd, args.script), "utf8")}\n${ctx.stdin}`;
    } catch {
      return fail(`${BANNER}SP2-0310: unable to open file "${args.script}"\n`);
    }
  }
  const statements = await collectStatements(input, cwd);
  if (typeof statements === "string") return fail(`${BANNER}${statements}\n`);
  return transact(env.stateDir, (state) => {
    const here = localNode(state, env);
    if (isToolResult(here)) return here;
    const ns = state.nodes[here.node.name];
    const cs = state.clusters[here.cluster.name];
    if (!ns || !cs) return fail("lab: node state missing\n", 2);
    let out = BANNER;
    if (ns.instance.mode === "DOWN") return { code: 1, stdout: `${out}${tbrLine(TBR.ioError, "Generic I/O error.")}\n`, stderr: "" };
    if (args.user !== "sys" || (cs.database && cs.database.sysPassword !== args.password)) {
      return { code: 1, stdout: `${out}${tbrLine(TBR.loginFailed, "Login failed: invalid user name or password.")}\n`, stderr: "" };
    }
    out += `${MSG.connected}\n\n`;
    let failed = false;
    let connected = true;
    for (const sql of statements) {
      if (!connected) {
        out += `SQL> ${tbrLine(TBR.ioError, "Generic I/O error.")}\n\n`;
        failed = true;
        continue;
      }
      const stmt = parseStatement(sql);
      if (typeof stmt === "string") {
        out += `SQL> ${tbrLine(TBR.syntax, `General syntax error: ${stmt}.`)}\n\n`;
        failed = true;
        continue;
      }
      if (stmt.kind === "exit") break;
      const result = execute(stmt, { cluster: cs, node: ns, now: ctx.now });
      out += `SQL> ${result.lines.join("\n")}\n\n`;
      failed ||= result.failed;
      if (result.disconnect) connected = false;
    }
    out += connected ? "SQL> Disconnected.\n" : "";
    return { code: failed ? 1 : 0, stdout: out, stderr: "" };
  });
}
