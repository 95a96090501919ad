import { appendFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { renderAddSuccess, renderDelSuccess, renderGroupRequestBox, renderShowAll } from "../../../lib/engines/tibero/render-cmrctl";
import { writeAgentStartLogs } from "../prosync/agent-logs";
import { judgeAgentStart } from "./agent-verdict";
import { fail, isToolResult, labEnv, localNode, ok, type LabEnv, type ToolContext, type ToolResult } from "./context";
import { showAllView } from "./live";
import { timing } from "./node-ops";
import { transact, type State } from "./state";
import type { NodeRef } from "./topology";

const USAGE = `Usage: cmrctl <command> <resource> [--key value ...]
  cmrctl show all
  cmrctl show group --name <group_name>
  cmrctl add group --name <group_name> --cname <cluster_name> --grptype <type> [--failover <true|false>]
  cmrctl add agent --name <agent_name> --grpname <group_name> --script <path> [--pubnet <network>] [--retry_cnt <n>]
  cmrctl start group --name <group_name>
  cmrctl stop group --name <group_name>
  cmrctl del group --name <group_name>
  cmrctl del agent --name <agent_name>
`;

type Command = { verb: string; noun: string; opts: Map<string, string> };

function parseCommand(argv: string[]): Command | string {
  const [verb, noun, ...rest] = argv;
  if (!verb || !noun) return "missing command or resource type";
  const opts = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const key = rest[i] ?? "";
    if (!key.startsWith("--")) return `unexpected argument '${key}'`;
    const value = rest[i + 1];
    if (value === undefined || value.startsWith("--")) return `key '${key.slice(2)}' needs a value`;
    opts.set(key.slice(2), value);
    i++;
  }
  return { verb, noun, opts };
}

const err = (message: string): ToolResult => fail(`[ERROR] ${message}\n`);

function required(cmd: Command, ...keys: string[]): string | undefined {
  const missing = keys.filter((k) => !cmd.opts.get(k));
  return missing.length > 0 ? `required key(s) missing: ${missing.map((k) => `--${k}`).join(", ")}` : undefined;
}

function unknownKeys(cmd: Command, allowed: string[]): string | undefined {
  const extra = [...cmd.opts.keys()].filter((k) => !allowed.includes(k));
  return extra.length > 0 ? `unknown key(s): ${extra.map((k) => `--${k}`).join(", ")}` : undefined;
}

function addGroup(state: State, here: NodeRef, cmd: Command): ToolResult {
  const problem = unknownKeys(cmd, ["name", "cname", "grptype", "failover"]) ?? required(cmd, "name", "cname", "grptype");
  if (problem) return err(problem);
  const name = cmd.opts.get("name") ?? "";
  const cname = cmd.opts.get("cname") ?? "";
  const failoverText = (cmd.opts.get("failover") ?? "true").toLowerCase();
  if (failoverText !== "true" && failoverText !== "false") return err(`--failover must be true or false, got '${failoverText}'`);
  if (cname !== here.cluster.name) return err(`cluster resource '${cname}' not found (this node belongs to ${here.cluster.name})`);
  const cs = state.clusters[here.cluster.name];
  if (!cs) return err("cluster state missing");
  if (cs.groups.some((g) => g.name === name)) return fail(`Resource add failed! (group, ${name}) : resource already exists\n`);
  cs.groups.push({ name, grptype: cmd.opts.get("grptype") ?? "", failover: failoverText === "true" });
  return ok(renderAddSuccess("group", name));
}

function addAgent(state: State, here: NodeRef, cmd: Command): ToolResult {
  const problem = unknownKeys(cmd, ["name", "grpname", "script", "pubnet", "retry_cnt"]) ?? required(cmd, "name", "grpname", "script");
  if (problem) return err(problem);
  const name = cmd.opts.get("name") ?? "";
  const group = cmd.opts.get("grpname") ?? "";
  const script = cmd.opts.get("script") ?? "";
  const retryText = cmd.opts.get("retry_cnt") ?? "3";
  if (!/^\d+$/.test(retryText)) return err(`--retry_cnt must be an integer, got '${retryText}'`);
  if (!path.isAbsolute(script)) return err(`--script must be an absolute path, got '${script}'`);
  const cs = state.clusters[here.cluster.name];
  if (!cs) return err("cluster state missing");
  if (!cs.groups.some((g) => g.name === group)) return err(`group resource '${group}' not found`);
  const pubnet = cmd.opts.get("pubnet");
  if (pubnet !== undefined && !here.cluster.nodes.some((n) => n.network.name === pubnet)) return err(`network resource '${pubnet}' not found`);
  if (Object.values(cs.agents).some((list) => list.some((a) => a.name === name))) return fail(`Resource add failed! (agent, ${name}) : resource already exists\n`);
  const list = (cs.agents[here.node.name] ??= []);
  list.push({ name, group, script, retryCnt: Number(retryText), ...(pubnet !== undefined ? { pubnet } : {}) });
  return ok(renderAddSuccess("agent", name));
}

async function startGroup(state: State, here: NodeRef, cmd: Command, env: LabEnv, now: number): Promise<ToolResult> {
  const problem = unknownKeys(cmd, ["name"]) ?? required(cmd, "name");
  if (problem) return err(problem);
  const name = cmd.opts.get("name") ?? "";
  const cs = state.clusters[here.cluster.name];
  const group = cs?.groups.find((g) => g.name === name);
  if (!cs || !group) return err(`group resource '${name}' not found`);
  group.startedAt = now;
  for (const node of here.cluster.nodes) {
    const cm = state.nodes[node.name]?.cm;
    if (!cm?.up || state.nodes[node.name]?.hostDown) continue;
    for (const res of cs.agents[node.name] ?? []) {
      if (res.group !== name || res.start?.verdict.ok) continue;
      const verdict = await judgeAgentStart(state, node, res.script);
      res.start = { at: now, verdict };
      await writeAgentStartLogs(res.script, verdict, now);
      if (verdict.ok) delete state.prosync.lostAt[verdict.agentId];
      await cmLog(env, cm.cmName, now, verdict.ok ? `agent ${res.name}: ${res.script} START requested` : `agent ${res.name}: ${res.script} START failed with exit ${verdict.exitCode}: ${verdict.message}`);
    }
  }
  return ok(renderGroupRequestBox("boot", name));
}

function stopGroup(state: State, here: NodeRef, cmd: Command): ToolResult {
  const problem = unknownKeys(cmd, ["name"]) ?? required(cmd, "name");
  if (problem) return err(problem);
  const name = cmd.opts.get("name") ?? "";
  const cs = state.clusters[here.cluster.name];
  const group = cs?.groups.find((g) => g.name === name);
  if (!cs || !group) return err(`group resource '${name}' not found`);
  delete group.startedAt;
  for (const list of Object.values(cs.agents)) {
    for (const res of list) {
      if (res.group !== name) continue;
      // A requested stop is not a failure: ProSync must not fail over.
      if (res.start?.verdict.ok) delete state.prosync.lostAt[res.start.verdict.agentId];
      delete res.start;
    }
  }
  return ok(renderGroupRequestBox("down", name));
}

function del(state: State, here: NodeRef, cmd: Command): ToolResult {
  const problem = unknownKeys(cmd, ["name"]) ?? required(cmd, "name");
  if (problem) return err(problem);
  const name = cmd.opts.get("name") ?? "";
  const cs = state.clusters[here.cluster.name];
  if (!cs) return err("cluster state missing");
  if (cmd.noun === "agent") {
    for (const [nodeName, list] of Object.entries(cs.agents)) {
      const i = list.findIndex((a) => a.name === name);
      if (i < 0) continue;
      if (list[i]?.start) return err(`agent resource '${name}' is running on ${nodeName}; stop its group first`);
      list.splice(i, 1);
      return ok(renderDelSuccess("agent", name));
    }
    return err(`agent resource '${name}' not found`);
  }
  const gi = cs.groups.findIndex((g) => g.name === name);
  if (gi < 0) return err(`group resource '${name}' not found`);
  if (cs.groups[gi]?.startedAt !== undefined) return err(`group resource '${name}' is running; stop it first`);
  if (Object.values(cs.agents).some((list) => list.some((a) => a.group === name))) return err(`group resource '${name}' still has agent resources`);
  cs.groups.splice(gi, 1);
  return ok(renderDelSuccess("group", name));
}

async function cmLog(env: LabEnv, cmName: string, now: number, line: string): Promise<void> {
  const dir = path.join(env.stateDir, "log");
  await mkdir(dir, { recursive: true });
  await appendFile(path.join(dir, `${cmName}.log`), `${new Date(now).toISOString()} ${line}\n`);
}

export async function main(ctx: ToolContext): Promise<ToolResult> {
  const env = labEnv(ctx.env);
  if (typeof env === "string") return fail(`${env}\n`, 2);
  const cmd = parseCommand(ctx.argv);
  if (typeof cmd === "string") return fail(`[ERROR] ${cmd}\n${USAGE}`);
  return transact(env.stateDir, async (state) => {
    const here = localNode(state, env);
    if (isToolResult(here)) return here;
    const cm = state.nodes[here.node.name]?.cm;
    if (!cm?.up) return fail(`[ERROR] Failed to connect to the local CM (${here.node.cmName}). Is CM running?\n`);
    const t = timing(env, ctx.now);
    const key = `${cmd.verb} ${cmd.noun}`;
    switch (key) {
      case "show all":
        return ok(renderShowAll(showAllView(state, here.cluster, t)));
      case "show group": {
        const name = cmd.opts.get("name");
        if (!name) return err("required key(s) missing: --name");
        const view = showAllView(state, here.cluster, t);
        const agentsOf = new Set(Object.values(state.clusters[here.cluster.name]?.agents ?? {}).flat().filter((a) => a.group === name).map((a) => a.name));
        const nodes = view.nodes.map((n) => ({ ...n, resources: n.resources.filter((r) => (r.type === "group" && r.name === name) || (r.type === "agent" && agentsOf.has(r.name))) }));
        return ok(renderShowAll({ nodes }));
      }
      case "add group":
        return addGroup(state, here, cmd);
      case "add agent":
        return addAgent(state, here, cmd);
      case "start group":
        return startGroup(state, here, cmd, env, ctx.now);
      case "stop group":
        return stopGroup(state, here, cmd);
      case "del group":
      case "del agent":
        return del(state, here, cmd);
      default:
        return fail(`[ERROR] unsupported command '${key}'\n${USAGE}`);
    }
  });
}
