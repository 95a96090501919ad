import { MSG, TBR, tbrLine } from "../../../lib/engines/tibero/messages";
import { fail, isToolResult, labEnv, localNode, ok, type ToolContext, type ToolResult } from "./context";
import { stopNodeServices } from "./node-ops";
import { transact } from "./state";
import { cmTipPath, loadTip, where } from "./tip-files";

const USAGE = "Usage: tbcm [-b | -d]\n  -b  boot the cluster manager\n  -d  shut the cluster manager down\n";

function banner(cmName: string, uiPort: number): string {
  return `CM Guard daemon started up.\n\nTBCM 7\n\nTmaxData Corporation Copyright (c) 2008-. All rights reserved.\n\n${MSG.cmStarted}\nLocal node name is (${cmName}:${uiPort}).\n`;
}

export async function main(ctx: ToolContext): Promise<ToolResult> {
  const env = labEnv(ctx.env);
  if (typeof env === "string") return fail(`${env}\n`, 2);
  const flag = ctx.argv[0];
  if (flag !== "-b" && flag !== "-d") return fail(USAGE, 1);
  const tipPath = cmTipPath(env);
  const tip = flag === "-b" ? (tipPath ? await loadTip(tipPath) : "TB_HOME and TB_SID (or CM_SID) must be set") : undefined;
  return transact(env.stateDir, (state) => {
    const here = localNode(state, env);
    if (isToolResult(here)) return here;
    const ns = state.nodes[here.node.name];
    if (!ns) return fail("lab: node state missing\n", 2);
    if (flag === "-d") {
      if (!ns.cm?.up) return fail(`${tbrLine(TBR.cmNotRunningDown, "CM is not running.")}\n`);
      stopNodeServices(state, here.node.name, ctx.now, env);
      return ok(`${MSG.cmDown}\n`);
    }
    if (ns.cm?.up) return fail(`${tbrLine(TBR.cmAlreadyRunning, `CM is already running (${ns.cm.cmName}).`)}\n`);
    if (typeof tip === "string" || tip === undefined) return fail(`${tbrLine(TBR.cmTipInvalid, tip ?? "no tip")}\n`);
    const cmName = tip.get("CM_NAME");
    const uiPort = tip.get("CM_UI_PORT");
    const cmId = tip.get("CM_ID");
    if (!cmName?.value) return fail(`${tbrLine(TBR.cmTipInvalid, `CM_NAME is not set (${tip.path}).`)}\n`);
    if (!uiPort || !/^\d+$/.test(uiPort.value)) return fail(`${tbrLine(TBR.cmTipInvalid, `CM_UI_PORT must be a port number (${where(tip, uiPort)}).`)}\n`);
    if (cmId && !/^\d+$/.test(cmId.value)) return fail(`${tbrLine(TBR.cmTipInvalid, `CM_ID must be a non-negative integer (${where(tip, cmId)}).`)}\n`);
    ns.cm = {
      up: true,
      since: ctx.now,
      cmName: cmName.value,
      uiPort: Number(uiPort.value),
      tbHome: env.tbHome ?? "",
      tbSid: env.tbSid ?? "",
      ...(cmId ? { cmId: Number(cmId.value) } : {}),
    };
    return ok(banner(cmName.value, Number(uiPort.value)));
  });
}
