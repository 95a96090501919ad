import { PRS_ADM_BANNER, PRS_ADM_PROMPT, renderStatus } from "../../../lib/engines/prosync/render-status";
import { fail, labEnv, type ToolContext, type ToolResult } from "../tibero/context";
import { timing } from "../tibero/node-ops";
import { transact } from "../tibero/state";
import { findNode } from "../tibero/topology";
import { installAgents } from "./install-agent";
import { installInstance } from "./install-instance";
import { prsStatus } from "./placement";

const HELP = "Available commands:\n  status    show agents and processes\n  help      this text\n  exit      leave prs_adm\n";

/**
 * `prs_adm`: prints the banner, then reads commands line by line from stdin (`Admin> status`). The
 * command is echoed after the prompt, so a piped session reads like the seed's terminal transcript.
 * `--lab-install-agent` / `--lab-install` are the lab's entry points behind the sourced install scripts.
 */
export async function main(ctx: ToolContext): Promise<ToolResult> {
  if (ctx.argv[0] === "--lab-install-agent") return installAgents(ctx);
  if (ctx.argv[0] === "--lab-install") return installInstance(ctx);
  const env = labEnv(ctx.env);
  if (typeof env === "string") return fail(`${env}\n`, 2);
  const commands = ctx.stdin.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
  let out = PRS_ADM_BANNER;
  let code = 0;
  for (const command of commands) {
    out += `${PRS_ADM_PROMPT}${command}\n`;
    const word = command.toLowerCase();
    if (word === "exit" || word === "quit") break;
    if (word === "help") {
      out += HELP;
      continue;
    }
    if (word === "status") {
      const shown = await transact(env.stateDir, (state) => {
        // prs_adm may run on a host outside the Tibero topology; a known host that is down runs nothing.
        const here = env.host ? findNode(state.topology, env.host) : undefined;
        if (here && state.nodes[here.node.name]?.hostDown) return undefined;
        return renderStatus(prsStatus(state, timing(env, ctx.now)));
      });
      if (shown === undefined) return fail(`lab: host ${env.host ?? ""} is down\n`, 255);
      out += shown;
      continue;
    }
    out += `Unknown command: ${command}\n`;
    code = 1;
  }
  return { code, stdout: out, stderr: "" };
}
