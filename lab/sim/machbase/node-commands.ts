// Broker/warehouse operations run on the coordinator: node stop/start/upgrade, group state, snapshots,
// snapshot recovery and sync. Each prints the seed's header lines and then the status table.
import { renderFields, renderFullStatusTable } from "../../../lib/engines/machbase/render";
import { cancelEvents, schedule } from "./evolve";
import { failure, success, type CommandContext, type CommandOutcome } from "./context";
import { findNode, warehouseGroups, type ClusterState, type SimNode } from "./model";
import { fullStatusTable } from "./view";

export function tableLines(state: ClusterState): string[] {
  return renderFullStatusTable(fullStatusTable(state));
}

function nodeHeader(node: SimNode, extra: Array<{ key: string; value: string }> = []): string[] {
  return renderFields([{ key: "Node-Name", value: node.name }, ...extra]);
}

type Lookup = { ok: true; node: SimNode } | { ok: false; outcome: CommandOutcome };

function managedNode(ctx: CommandContext, name: string | undefined): Lookup {
  if (!name) return { ok: false, outcome: failure("Node name is required (HOST:PORT).") };
  const node = findNode(ctx.state, name);
  if (!node) return { ok: false, outcome: failure(`Node (${name}) does not exist.`) };
  if (node.type !== "broker" && node.type !== "warehouse") {
    return { ok: false, outcome: failure(`Node (${name}) is a ${node.type}; only broker and warehouse nodes are managed here.`) };
  }
  return { ok: true, node };
}

// The deployer installs, starts and stops brokers/warehouses; without it those commands cannot run.
function deployerDown(ctx: CommandContext): CommandOutcome | null {
  const deployer = ctx.state.nodes.find((n) => n.type === "deployer");
  if (deployer && deployer.process !== "running") return failure(`Deployer (${deployer.name}) is not running.`);
  return null;
}

function syncing(ctx: CommandContext, node: SimNode): boolean {
  return ctx.state.events.some((e) => (e.kind === "sync-start" || e.kind === "sync-done") && (e.node === node.name || e.source === node.name));
}

function stopNode(node: SimNode, ctx: CommandContext): void {
  node.process = "stopped";
  // A scrapped warehouse stays scrapped across a stop: only recovery clears it.
  if (node.desired !== "scrapped") node.desired = "shutdown";
  node.actual = "shutdown";
  node.rp = "none";
  node.snapshotRecovered = false;
  cancelEvents(ctx.state, node.name, ["node-up", "detect-failure"]);
}

export function shutdownNode(ctx: CommandContext): CommandOutcome {
  const found = managedNode(ctx, ctx.args.value);
  if (!found.ok) return found.outcome;
  const blocked = deployerDown(ctx);
  if (blocked) return blocked;
  const { node } = found;
  if (node.process === "stopped") return failure(`Node (${node.name}) is already shut down.`);
  if (syncing(ctx, node)) return failure(`Node (${node.name}) is synchronizing; wait for --exec-sync to finish.`);
  stopNode(node, ctx);
  return success([...nodeHeader(node), ...tableLines(ctx.state)]);
}

export function killNode(ctx: CommandContext): CommandOutcome {
  const found = managedNode(ctx, ctx.args.value);
  if (!found.ok) return found.outcome;
  const blocked = deployerDown(ctx);
  if (blocked) return blocked;
  if (syncing(ctx, found.node)) return failure(`Node (${found.node.name}) is synchronizing; wait for --exec-sync to finish.`);
  stopNode(found.node, ctx);
  return success([...nodeHeader(found.node), ...tableLines(ctx.state)]);
}

export function startupNode(ctx: CommandContext): CommandOutcome {
  const found = managedNode(ctx, ctx.args.value);
  if (!found.ok) return found.outcome;
  const blocked = deployerDown(ctx);
  if (blocked) return blocked;
  const { node } = found;
  if (node.process === "running" || node.process === "starting") return failure(`Node (${node.name}) is already running.`);
  startProcess(ctx.state, node, ctx.now, ctx.durations.nodeStartup);
  return success([...nodeHeader(node), ...tableLines(ctx.state)]);
}

/** Shared with the fault injector's restart-node: the node reports its state after a startup delay. */
export function startProcess(state: ClusterState, node: SimNode, now: number, delay: number): void {
  cancelEvents(state, node.name, ["detect-failure", "node-up"]);
  node.process = "starting";
  schedule(state, { kind: "node-up", node: node.name, at: now + delay });
}

export function upgradeNode(ctx: CommandContext): CommandOutcome {
  const found = managedNode(ctx, ctx.args.value);
  if (!found.ok) return found.outcome;
  const packageName = ctx.args.options.get("package-name");
  if (!packageName) return failure("Option --package-name is required with --upgrade-node.");
  const pkg = ctx.state.packages.find((p) => p.name === packageName);
  if (!pkg) return failure(`Package (${packageName}) does not exist.`);
  const blocked = deployerDown(ctx);
  if (blocked) return blocked;
  const { node } = found;
  if (node.desired === "scrapped") return failure(`Node (${node.name}) is scrapped; recover it before upgrading.`);
  if (syncing(ctx, node)) return failure(`Node (${node.name}) is synchronizing; wait for --exec-sync to finish.`);
  // Seed: upgrading a running node stops it first (the explicit --shutdown-node is only the safer path).
  if (node.process !== "stopped") stopNode(node, ctx);
  node.packageName = pkg.name;
  node.release = pkg.release;
  return success([...nodeHeader(node, [{ key: "Package-Name", value: pkg.name }]), ...tableLines(ctx.state)]);
}

export function setGroupState(ctx: CommandContext): CommandOutcome {
  const target = ctx.args.value;
  if (target !== "readonly" && target !== "normal") return failure("--set-group-state takes normal or readonly.");
  const group = ctx.args.options.get("group");
  if (!group) return failure("Option --group is required with --set-group-state.");
  if (!warehouseGroups(ctx.state).includes(group)) return failure(`Group (${group}) does not exist.`);
  ctx.state.readonlyFlags[group] = target === "readonly";
  const flag = target === "readonly" ? "1" : "0";
  return success([
    ...renderFields([
      { key: "Group Name", value: group },
      { key: "Flag", value: flag },
    ]),
    ...tableLines(ctx.state),
  ]);
}

export function execSnapshot(ctx: CommandContext): CommandOutcome {
  const group = ctx.args.options.get("group");
  if (!group) return failure("Option --group is required with --exec-snapshot.");
  if (!warehouseGroups(ctx.state).includes(group)) return failure(`Group (${group}) does not exist.`);
  const unhealthy = ctx.state.nodes.find(
    (n) => n.type === "warehouse" && n.group === group && (n.desired !== "normal" || n.process !== "running"),
  );
  if (unhealthy) return failure(`Snapshot of group (${group}) failed: warehouse (${unhealthy.name}) is not normal.`);
  ctx.state.snapshots.push({ group, at: ctx.now, trigger: "manual" });
  return success([...renderFields([{ key: "Group Name", value: group }]), ...tableLines(ctx.state)]);
}

export function snapshotRecover(ctx: CommandContext): CommandOutcome {
  const found = managedNode(ctx, ctx.args.value);
  if (!found.ok) return found.outcome;
  const { node } = found;
  if (node.type !== "warehouse" || node.desired !== "scrapped") return failure(`Node (${node.name}) is not scrapped.`);
  if (node.process !== "running") return failure(`Node (${node.name}) is not running; start it before recovery.`);
  const hasSnapshot = ctx.state.snapshots.some((s) => s.group === node.group);
  if (!hasSnapshot) return failure(`Group (${node.group}) has no snapshot to recover from.`);
  node.snapshotRecovered = true;
  return success([...nodeHeader(node), ...tableLines(ctx.state)]);
}

export function execSync(ctx: CommandContext): CommandOutcome {
  const found = managedNode(ctx, ctx.args.value);
  if (!found.ok) return found.outcome;
  const { node } = found;
  if (node.type !== "warehouse" || node.desired !== "scrapped") return failure(`Node (${node.name}) is not scrapped.`);
  if (syncing(ctx, node)) return failure(`Node (${node.name}) is already synchronizing.`);
  if (!node.snapshotRecovered) return failure(`Node (${node.name}) has not been recovered from a snapshot (--snapshot-recover).`);
  const source = ctx.state.nodes.find(
    (n) => n.type === "warehouse" && n.group === node.group && n.name !== node.name && n.desired === "normal" && n.process === "running",
  );
  if (!source) return failure(`Group (${node.group}) has no normal warehouse to replicate from.`);
  node.rp = "stopped";
  source.rp = "stopped";
  const d = ctx.durations;
  schedule(ctx.state, { kind: "sync-start", node: node.name, source: source.name, at: ctx.now + d.syncStart });
  schedule(ctx.state, { kind: "sync-done", node: node.name, source: source.name, at: ctx.now + d.syncStart + d.syncRun });
  // The seed prints `Source:` with nothing after it; kept as printed.
  return success([
    ...renderFields([{ key: "Node-Name", value: node.name }]),
    ...renderFields([{ key: "Source", value: "" }]),
    ...tableLines(ctx.state),
  ]);
}
