import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { renderCmScript } from "../../../lib/engines/prosync/cm-script";
import { interpretInstallAgentCfg } from "../../../lib/engines/prosync/interpret-cfg";
import { parseCfg } from "../../../lib/engines/prosync/parse-cfg";
import { renderAgentCfg } from "../../../lib/engines/prosync/validate-config";
import type { InstallAgent } from "../../../lib/engines/prosync/types";
import { fail, labEnv, type ToolContext, type ToolResult } from "../tibero/context";
import { transact } from "../tibero/state";

// `. prs_install_agent.sh` (seed 003 §1): four steps, printed as the seed prints them, writing
// prs_agent_<id>.cfg, prs_instance.map and $PRS_HOME/bin/prs_<cm_id>.sh.

const STARS = "*".repeat(80);

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** The agent cfg template; the CM parameters of seed 003 §3 are left for the operator to set. */
export function renderAgentCfgTemplate(prsHome: string, agent: InstallAgent): string {
  // The installer writes the same template Keel's generator renders, with CM off (USE_CM = N).
  const rendered = renderAgentCfg({ listenerPort: agent.port, logDir: `${prsHome}/var/agent/${agent.id}/log`, useCm: false });
  if (!rendered.ok) throw new Error(`agent ${agent.id}: ${rendered.error}`);
  return rendered.text;
}

/** prs_instance.map is ProSync-internal and not shown by the seed; the lab keeps one agent per line. */
function renderInstanceMapAgents(agents: InstallAgent[]): string {
  return agents.map((a) => `AGENT=${a.id},${a.host},${a.port},${a.cmGroup ?? ""},${a.cmId ?? ""}\n`).join("");
}

export async function installAgents(ctx: ToolContext): Promise<ToolResult> {
  const env = labEnv(ctx.env);
  if (typeof env === "string") return fail(`${env}\n`, 2);
  const out: string[] = [];
  const say = (...lines: string[]) => out.push(...lines);
  say(STARS, "* Agent Install Step (1/4)", "* Check System Parameters ", STARS, "* Checking system type... ", "Linux", "", "* Checking PRS_HOME... ");
  const prsHome = env.prsHome;
  if (!prsHome) return fail(`${out.join("\n")}\nPRS_HOME is not set.\n`);
  say(`PRS_HOME: ${prsHome}`, "");
  const cfgPath = path.join(prsHome, "install", "prs_install_agent.cfg");
  const mapPath = path.join(prsHome, "config", "prs_instance.map");
  say(
    STARS,
    "* Agent Install Step (2/4)",
    "* Check install agent config file   [prs_install_agent.cfg]  ",
    "* Check Instance file               [prs_instance.map] ",
    STARS,
    "* Checking configuration file... ",
  );
  let cfgText: string;
  try {
    cfgText = await readFile(cfgPath, "utf8");
  } catch {
    return fail(`${out.join("\n")}\n[${cfgPath}] not found.\n`);
  }
  say(`[${cfgPath}] exists.`, "", "* Checking Agent configuration... ");
  const parsed = parseCfg(cfgText);
  if (!parsed.ok) return fail(`${out.join("\n")}\n${cfgPath}:${parsed.error.lineNumber}: ${parsed.error.message}: ${parsed.error.line}\n`);
  const { value, problems } = interpretInstallAgentCfg(parsed.value);
  for (const a of value.agents) {
    say(
      `parameter check for Agent[${a.index}] Started `,
      `    AGENT_ID: ${a.id}`,
      `    AGENT_HOST: ${a.host}`,
      `    AGENT_PORT: ${a.port}`,
      `    AGENT_CM_GROUP: ${a.cmGroup ?? ""}`,
      `    AGENT_CM_ID: ${a.cmId ?? ""}`,
      `parameter check for Agent[${a.index}] Done `,
    );
  }
  if (problems.length > 0) {
    return fail(`${out.join("\n")}\n${problems.map((p) => `parameter check failed: ${p.message} (${cfgPath}:${p.lineNumber})`).join("\n")}\n`);
  }
  say("", "* Checking prs_instance.map file... ");
  const mapExisted = await exists(mapPath);
  say(mapExisted ? `[${mapPath}] exists.` : `[${mapPath}] not found. It will be created.`, "");
  say(
    STARS,
    "* Agent Install Step (3/4)",
    `* Writing agent config file         [${cfgPath}]  `,
    `* Writing Instance file             [${mapPath}] `,
    `* Total Agent Cnt                   [${value.agentCnt}] `,
    STARS,
    `* Writing all agents.. cnt: ${value.agentCnt}`,
  );
  await mkdir(path.join(prsHome, "config"), { recursive: true });
  for (const a of value.agents) {
    say(
      `* Writing Agent.. Index:           ${a.index}`,
      `* Writing Agent.. AGENT_ID:        ${a.id}`,
      `* Writing Agent.. AGENT_HOST:      ${a.host}`,
      `* Writing Agent.. AGENT_PORT:      ${a.port}`,
      `* Writing Agent.. AGENT_CM_GROUP:  ${a.cmGroup ?? ""}`,
      `* Writing Agent.. AGENT_CM_ID:     ${a.cmId ?? ""}`,
      "* Writing Agent configuration... ",
    );
    const agentCfg = path.join(prsHome, "config", `prs_agent_${a.id}.cfg`);
    if (await exists(agentCfg)) say(`${agentCfg} already exists. Skipped.`);
    else {
      await writeFile(agentCfg, renderAgentCfgTemplate(prsHome, a));
      say(`${agentCfg} not found. Writing files...`, "Done.");
    }
    say("", "* Writing Agent information... ", "", "");
  }
  await writeFile(mapPath, renderInstanceMapAgents(value.agents));
  const varDir = path.join(prsHome, "var");
  say("* Creating var directory...", (await exists(varDir)) ? "   * Already Created." : "   * Created.");
  await mkdir(varDir, { recursive: true });
  say(STARS, "* Agent Install Step (4/4)", "* Creating files for CM", STARS);
  await mkdir(path.join(prsHome, "bin"), { recursive: true });
  for (const a of value.agents) {
    if (a.cmId === undefined) continue;
    const name = `prs_${a.cmId}.sh`;
    say("AGENT_CM_ID detected", `generating ${name}...`, `PRS_HOME=${prsHome}`, `AGENT_ID=${a.id}`);
    const file = path.join(prsHome, "bin", name);
    // Agents sharing a CM_ID overwrite each other's script here, exactly as the seed's run shows
    // (prs_0.sh is generated for agent1, then again for agent3): the operator edits it afterwards.
    await writeFile(file, renderCmScript({ tbHome: env.tbHome ?? "", prsHome, agentId: a.id }));
    await chmod(file, 0o755);
    say(`${name} has created in $PRS_HOME/bin/`);
  }
  say("Agent installation Done.");
  await transact(env.stateDir, (state) => {
    state.prosync.agents = value.agents.map((a) => ({ ...a, prsHome }));
  });
  return { code: 0, stdout: `${out.join("\n")}\n`, stderr: "" };
}
