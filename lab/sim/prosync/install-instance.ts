import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { interpretInstallCfg } from "../../../lib/engines/prosync/interpret-cfg";
import { parseCfg } from "../../../lib/engines/prosync/parse-cfg";
import { fail, labEnv, type ToolContext, type ToolResult } from "../tibero/context";
import { transact } from "../tibero/state";

// `. prs_install.sh` (seed 003 §4), reduced to what the lab can honour: the parameter checks of
// step 2 as the seed prints them (agent lists, ports, EXT_CNT = SRC_DB_CNT) and recording the instance
// and its process placement; the database steps 3–4 print the seed's step headers with `ok`.

const STARS = "*".repeat(80);

export async function installInstance(ctx: ToolContext): Promise<ToolResult> {
  const env = labEnv(ctx.env);
  if (typeof env === "string") return fail(`${env}\n`, 2);
  const prsHome = env.prsHome;
  if (!prsHome) return fail("PRS_HOME is not set.\n");
  const out: string[] = [];
  const say = (...lines: string[]) => out.push(...lines);
  const failNow = (line: string): ToolResult => fail(`${out.join("\n")}\n${line}\n`);
  say(STARS, "* Check System Parameters (1/5)", STARS, "Checking system type... Linux", `Checking PRS_HOME... ${prsHome}`, `Checking TB_HOME... ${env.tbHome ?? "not found"}`, "");
  say(STARS, "* Check Installation Parameters (2/5)", STARS);
  const cfgPath = path.join(prsHome, "install", "prs_install.cfg");
  let text: string;
  try {
    text = await readFile(cfgPath, "utf8");
  } catch {
    return failNow(`Checking configuration file... [${cfgPath}] not found`);
  }
  say("Checking configuration file... ok");
  const parsed = parseCfg(text);
  if (!parsed.ok) return failNow(`${cfgPath}:${parsed.error.lineNumber}: ${parsed.error.message}: ${parsed.error.line}`);
  const { value: cfg, problems } = interpretInstallCfg(parsed.value);
  if (problems.length > 0) return failNow(problems.map((p) => `${p.message} (${cfgPath}:${p.lineNumber})`).join("\n"));
  const mapPath = path.join(prsHome, "config", "prs_instance.map");
  let map: string;
  try {
    map = await readFile(mapPath, "utf8");
  } catch {
    return failNow(`Checking prs_instance.map file... [${mapPath}] not found (run prs_install_agent.sh first)`);
  }
  say("Checking prs_instance.map file... ok", "Checking Instance Id from prs_instance.map...");
  const instanceLine = `INSTANCE=${cfg.instanceId}`;
  const known = map.split("\n").includes(instanceLine);
  say(
    known
      ? `* instance information for ${cfg.instanceId} was found. It will be rewritten in this script...`
      : `* instance information for ${cfg.instanceId} was not found. It will be written in this script...`,
    "ok",
  );
  if (!known) await writeFile(mapPath, `${map}${map === "" || map.endsWith("\n") ? "" : "\n"}${instanceLine}\n`);
  return transact(env.stateDir, (state) => {
    const known = new Set(state.prosync.agents.map((a) => a.id));
    let missing = false;
    const checkList = (list: string[]) => {
      for (const id of list) {
        say(`       * Agent ID[${id}]`, known.has(id) ? `       * [${id}] found.` : `       * [${id}] not found.`);
        if (!known.has(id)) missing = true;
      }
    };
    say("Checking proecsses infos...", `* Checking Ext processes Informations... EXT_CNT: ${cfg.ext.length}`, `* Delimiter: [${cfg.delimiter}]`);
    cfg.ext.forEach((list, i) => {
      say(`   * Ext[${i}] process's Agent Id List `);
      checkList(list);
    });
    say("* Checking Apply process Informations...", "* Checking Apply Port..", `   * APPLY_PORT=[${cfg.apply.port ?? ""}]`, "* Checking Apply process's Agent Id List..");
    checkList(cfg.apply.agents);
    say("* Checking Llob process Informations...", "* Checking Llob Port..", `   * LLOB_PORT=[${cfg.llob.port ?? ""}]`, "* Checking Llob process's Agent Id List..");
    checkList(cfg.llob.agents);
    if (missing) return failNow("Agent ids must be installed with prs_install_agent.sh first.");
    if (cfg.apply.agents.length === 0) return failNow("APPLY_AGENT_ID_LIST is mandatory.");
    say("", `Checking INSTANCE_ID... ${cfg.instanceId}`, `Checking PRS_USER... ${cfg.prsUser}`, `Checking SRC_DB_CNT... ${cfg.srcDbCnt ?? ""}`, "");
    for (const [n, title] of [
      [3, "Install to Source Database"],
      [4, "Install to Target Database"],
      [5, "Generate Configuration Parameters"],
    ] as const) {
      say(STARS, `* ${title} (${n}/5)`, STARS, "ok", "");
    }
    state.prosync.instance = { instanceId: cfg.instanceId, ext: cfg.ext, apply: cfg.apply.agents, llob: cfg.llob.agents };
    say(STARS, `* ProSync is installed successfully on ${new Date(ctx.now).toUTCString()}.`, "*", `*   PRS_HOME     = ${prsHome}`, `*   Binary Path  = ${prsHome}/bin`, `*   ProSync User = ${cfg.prsUser}`, "*", STARS);
    return { code: 0, stdout: `${out.join("\n")}\n`, stderr: "" };
  });
}
