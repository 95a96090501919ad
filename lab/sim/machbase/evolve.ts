// Lazy time: every invocation first applies the timed transitions that fell due since the last one,
// in due order, so no daemon is needed and the outcome depends only on timestamps.
import { findNode, warehouseGroups, type ClusterState, type SimEvent, type SimNode } from "./model";
import type { Durations } from "./timing";

const MAX_SNAPSHOTS_KEPT = 50;

export function primaryCoordinatorRunning(state: ClusterState): boolean {
  return state.nodes.some((n) => n.type === "coordinator" && n.role === "primary" && n.process === "running");
}

/** readonly when pinned by --set-group-state, or while one of its warehouses is scrapped. */
export function groupState(state: ClusterState, group: string): "normal" | "readonly" {
  if (state.readonlyFlags[group]) return "readonly";
  const scrapped = state.nodes.some((n) => n.type === "warehouse" && n.group === group && n.desired === "scrapped");
  return scrapped ? "readonly" : "normal";
}

export function schedule(state: ClusterState, event: SimEvent): void {
  state.events.push(event);
}

export function cancelEvents(state: ClusterState, node: string, kinds: ReadonlyArray<SimEvent["kind"]>): void {
  state.events = state.events.filter((e) => !(e.node === node && kinds.includes(e.kind)));
}

function backToRole(node: SimNode): void {
  node.desired = node.role;
  node.actual = node.role;
}

function apply(state: ClusterState, event: SimEvent): void {
  const node = findNode(state, event.node);
  if (!node) return;
  switch (event.kind) {
    case "detect-failure": {
      if (node.process !== "down") return;
      if (node.type === "warehouse") {
        node.desired = "scrapped";
        node.rp = "none";
        node.snapshotRecovered = false;
      }
      node.actual = "unknown";
      return;
    }
    case "node-up": {
      if (node.process !== "starting") return;
      node.process = "running";
      if (node.desired === "scrapped") node.actual = "scrapped";
      else backToRole(node);
      return;
    }
    case "sync-start":
    case "sync-done": {
      const source = findNode(state, event.source);
      if (!syncCanContinue(node, source)) {
        abandonSync(state, node, source);
        return;
      }
      if (event.kind === "sync-done") {
        finishSync(node, source);
        return;
      }
      node.desired = node.actual = "sync-standby";
      node.rp = "running";
      if (source) {
        source.desired = source.actual = "sync-active";
        source.rp = "running";
      }
      return;
    }
  }
}

function syncCanContinue(node: SimNode, source: SimNode | undefined): source is SimNode {
  return node.process === "running" && node.snapshotRecovered && source?.process === "running";
}

function finishSync(node: SimNode, source: SimNode): void {
  backToRole(node);
  node.rp = "stopped";
  node.snapshotRecovered = false;
  backToRole(source);
  source.rp = "stopped";
}

// A warehouse that dies mid-sync (either side) leaves the target scrapped, to be recovered again.
function abandonSync(state: ClusterState, node: SimNode, source: SimNode | undefined): void {
  state.events = state.events.filter((e) => !((e.kind === "sync-start" || e.kind === "sync-done") && e.node === node.name));
  node.desired = "scrapped";
  if (node.process === "running") node.actual = "scrapped";
  node.rp = "stopped";
  node.snapshotRecovered = false;
  if (source && source.process === "running" && (source.desired === "sync-active" || source.rp !== "none")) {
    backToRole(source);
    source.rp = "stopped";
  }
}

function takeAutoSnapshots(state: ClusterState, now: number, d: Durations): void {
  const groups = warehouseGroups(state);
  const period = state.snapshotIntervalSec * 1000 * d.scale;
  if (state.snapshotIntervalSec === 0 || groups.length === 0 || period <= 0) {
    state.lastAutoSnapshot.at = now;
    return;
  }
  const due = Math.floor((now - state.lastAutoSnapshot.at) / period);
  if (due <= 0) return;
  // One group per interval, in turn; only the last round matters for what is kept.
  const first = Math.max(0, due - groups.length);
  for (let i = first; i < due; i++) {
    const group = groups[(state.lastAutoSnapshot.groupIndex + i) % groups.length] ?? "";
    const healthy = state.nodes.every((n) => n.type !== "warehouse" || n.group !== group || n.desired === "normal");
    if (healthy) state.snapshots.push({ group, at: state.lastAutoSnapshot.at + (i + 1) * period, trigger: "auto" });
  }
  state.lastAutoSnapshot = {
    at: state.lastAutoSnapshot.at + due * period,
    groupIndex: (state.lastAutoSnapshot.groupIndex + due) % groups.length,
  };
  state.snapshots = state.snapshots.slice(-MAX_SNAPSHOTS_KEPT);
}

export function settle(state: ClusterState, now: number, d: Durations): void {
  const due = state.events.filter((e) => e.at <= now).sort((a, b) => a.at - b.at);
  const waiting = state.events.filter((e) => e.at > now);
  const kept: SimEvent[] = [];
  // Applied events may cancel waiting ones (an abandoned sync), so they act on the waiting list.
  state.events = waiting;
  for (const event of due) {
    // While the primary coordinator is down nobody notices a node dying (seed: detected after restart).
    if (event.kind === "detect-failure" && !primaryCoordinatorRunning(state)) {
      kept.push(event);
      continue;
    }
    apply(state, event);
  }
  state.events = [...kept, ...state.events];
  if (primaryCoordinatorRunning(state)) takeAutoSnapshots(state, now, d);
}

/** After a coordinator restart, deaths that happened while it was down are detected afresh. */
export function redetectAfterCoordinatorStart(state: ClusterState, now: number, d: Durations): void {
  for (const event of state.events) {
    if (event.kind === "detect-failure") event.at = Math.max(event.at, now + d.detectFailure);
  }
}
