import { MSG, TBR, tbrLine } from "../../../lib/engines/tibero/messages";
import { fail, isToolResult, labEnv, localNode, ok, type ToolContext, type ToolResult } from "./context";
import { transact, type InstanceMode } from "./state";
import { instanceTipPath, loadTip, where, type LoadedTip } from "./tip-files";

const MODES = new Set<InstanceMode>(["NOMOUNT", "MOUNT", "NORMAL"]);
const USAGE = "Usage: tbboot [-t NOMOUNT|MOUNT|NORMAL] [-c]\n";

type BootArgs = { mode: InstanceMode };

function parseArgs(argv: string[]): BootArgs | string {
  let mode: InstanceMode = "NORMAL";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-c") continue; // accepted as the seed uses it; the lab gives it no further meaning
    if (a === "-t") {
      const m = (argv[++i] ?? "").toUpperCase();
      if (!MODES.has(m as InstanceMode)) return `invalid boot mode '${argv[i] ?? ""}'`;
      mode = m as InstanceMode;
      continue;
    }
    return `unknown option '${a}'`;
  }
  return { mode };
}

function err(code: number, message: string): ToolResult {
  return fail(`${tbrLine(code, message)}\n`);
}

type TacParams = { thread: number; undo: string; cmPort: number | undefined; listenerPort: string };

/** The TAC parameters seed 001 requires; a wrong one is named with file and line. */
function tacParams(tip: LoadedTip): TacParams | ToolResult {
  const cluster = tip.get("CLUSTER_DATABASE");
  if (!cluster) return err(TBR.tipInvalid, `CLUSTER_DATABASE is not set; TAC requires CLUSTER_DATABASE=Y (${tip.path}).`);
  if (cluster.value.toUpperCase() !== "Y") return err(TBR.tipInvalid, `CLUSTER_DATABASE must be Y for TAC, got '${cluster.value}' (${where(tip, cluster)}).`);
  const thread = tip.get("THREAD");
  if (!thread || !/^\d+$/.test(thread.value)) return err(TBR.tipInvalid, `THREAD must be a redo thread number (${where(tip, thread)}).`);
  const undo = tip.get("UNDO_TABLESPACE");
  if (!undo?.value) return err(TBR.tipInvalid, `UNDO_TABLESPACE is not set (${tip.path}).`);
  const cmPort = tip.get("CM_PORT");
  if (cmPort && !/^\d+$/.test(cmPort.value)) return err(TBR.tipInvalid, `CM_PORT must be a port number (${where(tip, cmPort)}).`);
  return {
    thread: Number(thread.value),
    undo: undo.value,
    cmPort: cmPort ? Number(cmPort.value) : undefined,
    listenerPort: tip.get("LISTENER_PORT")?.value ?? "8629",
  };
}

function bootBanner(listenerPort: string, tbHome: string, mode: InstanceMode): string {
  return [
    `listener port = ${listenerPort}`,
    `change core dump dir to ${tbHome}/bin/prof`,
    "",
    "Tibero 7 ",
    "",
    "TmaxData Corporation Copyright (c) 2008-. All rights reserved.",
    "",
    MSG.instanceStarted(mode),
    "",
  ].join("\n");
}

export async function main(ctx: ToolContext): Promise<ToolResult> {
  const env = labEnv(ctx.env);
  if (typeof env === "string") return fail(`${env}\n`, 2);
  const args = parseArgs(ctx.argv);
  if (typeof args === "string") return fail(`${args}\n${USAGE}`);
  const tipPath = instanceTipPath(env);
  const tip = tipPath ? await loadTip(tipPath) : "TB_HOME and TB_SID must be set";
  return transact(env.stateDir, (state) => {
    const here = localNode(state, env);
    if (isToolResult(here)) return here;
    const ns = state.nodes[here.node.name];
    const cs = state.clusters[here.cluster.name];
    if (!ns || !cs) return fail("lab: node state missing\n", 2);
    if (typeof tip === "string") return err(TBR.tipUnreadable, tip);
    const params = tacParams(tip);
    if ("code" in params) return params;
    if (!ns.cm?.up) return err(TBR.cmNotRunning, `Failed to connect to CM (CM_PORT=${params.cmPort ?? "unset"}): CM is not running.`);
    if (params.cmPort !== ns.cm.uiPort) {
      return err(TBR.cmNotRunning, `Failed to connect to CM: CM_PORT=${params.cmPort ?? "unset"} but ${ns.cm.cmName} listens on CM_UI_PORT=${ns.cm.uiPort}.`);
    }
    if (ns.instance.mode !== "DOWN") return err(TBR.alreadyRunning, `Tibero instance is already running (${ns.instance.mode} mode).`);
    if (ns.bootFail) return err(TBR.bootAborted, "Boot failed: the instance process terminated abnormally during startup.");
    if (args.mode !== "NOMOUNT") {
      const db = cs.database;
      if (!db) return err(TBR.noControlFile, "Control file not found: the database has not been created.");
      if (!db.enabledThreads.includes(params.thread)) return err(TBR.threadNotEnabled, `Redo thread ${params.thread} is not enabled (THREAD in ${where(tip, tip.get("THREAD"))}).`);
      if (!db.tablespaces.some((t) => t.kind === "undo" && t.name.toUpperCase() === params.undo.toUpperCase())) {
        return err(TBR.undoMissing, `Undo tablespace ${params.undo} does not exist (UNDO_TABLESPACE in ${where(tip, tip.get("UNDO_TABLESPACE"))}).`);
      }
      const peers = here.cluster.nodes.filter((n) => n.name !== here.node.name).map((n) => state.nodes[n.name]);
      const running = peers.filter((p) => p && !p.hostDown && p.instance.mode !== "DOWN");
      if (running.length + 1 > db.maxInstances) return err(TBR.maxInstancesReached, `Instance count would exceed MAXINSTANCES (${db.maxInstances}).`);
      if (running.some((p) => p?.instance.thread === params.thread)) return err(TBR.threadInUse, `Redo thread ${params.thread} is already in use by another instance.`);
    }
    ns.instance = { mode: args.mode, since: ctx.now, thread: params.thread, undo: params.undo };
    return ok(bootBanner(params.listenerPort, env.tbHome ?? "", args.mode));
  });
}
