import { MSG, TBR, tbrLine } from "../../../lib/engines/tibero/messages";
import { fail, isToolResult, labEnv, localNode, ok, type ToolContext, type ToolResult } from "./context";
import { transact } from "./state";

const DOWN_MODES: Record<string, string> = { "": "NORMAL", normal: "NORMAL", post_tx: "POST_TX", immediate: "IMMEDIATE", abort: "ABORT" };

export async function main(ctx: ToolContext): Promise<ToolResult> {
  const env = labEnv(ctx.env);
  if (typeof env === "string") return fail(`${env}\n`, 2);
  const mode = DOWN_MODES[(ctx.argv[0] ?? "").toLowerCase()];
  if (!mode) return fail("Usage: tbdown [normal|post_tx|immediate|abort]\n");
  return transact(env.stateDir, (state) => {
    const here = localNode(state, env);
    if (isToolResult(here)) return here;
    const ns = state.nodes[here.node.name];
    if (!ns) return fail("lab: node state missing\n", 2);
    if (ns.instance.mode === "DOWN") return fail(`${tbrLine(TBR.ioError, "Generic I/O error.")}\n`);
    ns.instance = { mode: "DOWN", since: ctx.now };
    return ok(`${MSG.instanceTerminated(mode)}\n`);
  });
}
