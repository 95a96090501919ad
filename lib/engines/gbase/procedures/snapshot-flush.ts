// Seed 002: the forced gcware snapshot flush before a V95 upgrade. Record each gcware node's newest
// SNAPSHOT.<term>.<index> → stop every service on every node → start only gcware → every gcware OPEN →
// gcware.flush_statemachine() on one coordinator → every node has a newer snapshot and no `.s` → stop gcware.
//
// "Newer than recorded" needs the value seen at run time, and steps share no variables. So the record
// step writes each node's listing to a file on that node (recordPath, named by the plan's recordId), and
// the wait and the summary probe print that file, a separator and the listing now: each probe output is
// self-contained, the assertion compares the two halves, and the baseline is in the run's log.
import { z } from "zod";

import { defineProcedure, parsed, type CheckResult, type InventoryNode, type ParseOutcome, type ProbeOutput } from "../../../runs/model";
import { gcadminArgv, gcwareServiceArgv, stopAllServicesArgv } from "../commands";
import { parseGcadmin } from "../parse-gcadmin";
import { compareRecorded, describeComparison, type FlushComparison } from "../snapshot-panel";
import { gbaseVersionSchema, type GcadminStatus, type GbaseVersion } from "../types";
import { textOf } from "../values";
import { compareArgv, flushArgv, recordArgv, recordPath } from "./flush-scripts";

function compactNow(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

export const snapshotFlushParameters = z.object({
  version: gbaseVersionSchema.meta({
    label: "GBase version",
    help: "V952: gcware is started with gcluster_services on the coordinators; V953: with gcware_services",
  }),
  recordId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, "letters, digits, _ and - only")
    .default(compactNow)
    .meta({ label: "Record name", help: "Names the files on each node that keep the snapshot version seen before the flush; defaults to now" }),
});

export const OPEN_TIMEOUT_MS = 2 * 60_000;
export const OPEN_POLL_MS = 3_000;
/** Per node; the seed gives no duration, and a flush of a large state machine can take minutes. */
export const FLUSH_TIMEOUT_MS = 10 * 60_000;
export const FLUSH_POLL_MS = 2_000;

/** gcware runs on every coordinator (seed 002; lab/sim/gbase/README.md). */
export function gcwareNodes(nodes: readonly InventoryNode[]): string[] {
  return nodes.filter((n) => n.type === "coordinator").map((n) => n.name);
}

export function clusterHosts(nodes: readonly InventoryNode[]): string[] {
  return [...new Set(nodes.map((n) => n.hostName))];
}

const onOneCoordinator = { where: { type: "coordinator" }, pick: "first" } as const;

const firstLine = (text: string): string => text.trim().split("\n")[0] ?? "";

function failed(output: ProbeOutput): string {
  const detail = firstLine(output.stderr) || firstLine(output.stdout);
  return `the command exited ${output.exitCode}${detail ? `: ${detail}` : ""}`;
}

export function gcadminOutput(output: ProbeOutput): ParseOutcome<GcadminStatus> {
  if (output.exitCode !== 0) return { ok: false, reason: `gcadmin: ${failed(output)}` };
  const status = parseGcadmin(output.stdout);
  if (!status.ok) return { ok: false, reason: `gcadmin output unreadable at line ${status.error.lineNumber}: ${status.error.message}` };
  return { ok: true, value: status.value.status };
}

/** Every gcware of the inventory is listed and OPEN; otherwise the closed ones by name. */
export function everyGcwareOpen(status: GcadminStatus, expected: readonly string[]): CheckResult {
  const rows = status.coordinators.rows;
  const missing = expected.filter((name) => !rows.some((r) => r.name === name));
  const closed = rows.filter((r) => r.gcware !== "OPEN").map((r) => `${r.name} ${textOf(r.gcware)}`);
  if (closed.length === 0 && missing.length === 0) return { ok: true };
  const parts = [
    ...(closed.length > 0 ? [`gcware not OPEN on ${closed.join(", ")}`] : []),
    ...(missing.length > 0 ? [`gcadmin does not list ${missing.join(", ")}`] : []),
  ];
  return { ok: false, reason: `${parts.join("; ")}; the flush is refused until every gcware is OPEN` };
}

function comparison(output: ProbeOutput): ParseOutcome<FlushComparison> {
  if (output.exitCode !== 0) return { ok: false, reason: failed(output) };
  return compareRecorded(output.stdout);
}

const scriptName = (version: GbaseVersion): string => gcwareServiceArgv(version, "start")[0] ?? "";

export const snapshotFlush = defineProcedure({
  id: "gbase.snapshot-flush",
  engine: "GBASE",
  title: "gcware snapshot flush (before a V95 upgrade)",
  description:
    "Stops the cluster, starts only gcware, forces gcware.flush_statemachine() and waits until every gcware node holds a newer snapshot with no flush in progress; gcware is stopped again for the upgrade.",
  parameters: snapshotFlushParameters,
  mutating: true,
  approval: "none",
  steps: ({ forEach }) => [
    {
      kind: "precheck",
      id: "version-script",
      title: ({ params }) => `gcware is managed by ${scriptName(params.version)} (${params.version})`,
      host: onOneCoordinator,
      argv: ({ params }) => gcwareServiceArgv(params.version, "status"),
      // LSB status: 0 running, 3 stopped; anything else means the script does not manage gcware here.
      assert: (output, { params }) =>
        output.exitCode === 0 || output.exitCode === 3
          ? { ok: true }
          : { ok: false, reason: `${scriptName(params.version)} does not manage gcware on this host (${failed(output)}); is the cluster ${params.version === "V952" ? "V953" : "V952"}?` },
    },
    forEach<string>({
      id: "record",
      title: "Record the newest snapshot",
      items: ({ nodes }) => gcwareNodes(nodes),
      label: (node) => node,
      steps: [
        {
          kind: "action",
          id: "record-snapshot",
          title: ({ item, params }) => `${item}: record the snapshot version in ${recordPath(params.recordId, item)}`,
          host: { node: ({ item }) => item },
          argv: ({ item, params, settings }) => recordArgv(settings, params.recordId, item),
          // Keeps an existing record, so a resumed run compares against the version before the flush.
          idempotent: true,
          onFailure: ({ item }) => `Nothing was changed. Check that $GCWARE_BASE/data/gcware on ${item}'s host is readable and /tmp writable, then retry.`,
        },
        {
          kind: "verify",
          id: "recorded",
          title: ({ item }) => `${item}: the recorded listing shows a completed snapshot`,
          host: { node: ({ item }) => item },
          argv: ({ item, params, settings }) => compareArgv(settings, params.recordId, item),
          assert: parsed(comparison, (c, { item }) =>
            c.before.newest ? { ok: true } : { ok: false, reason: `${item} has no completed SNAPSHOT.<term>.<index> directory; a flush cannot be proven newer` },
          ),
        },
      ],
    }),
    {
      kind: "confirm",
      id: "approve-stop",
      title: "Approve stopping the whole cluster",
      text: ({ nodes }) =>
        `Every service on ${clusterHosts(nodes).join(", ")} will be stopped: the cluster serves nothing until it is started again after the upgrade. ` +
        "Only gcware is started for the flush and stopped again at the end.",
      destructive: true,
    },
    forEach<string>({
      id: "stop-all",
      title: "Stop every service",
      items: ({ nodes }) => clusterHosts(nodes),
      label: (host) => host,
      steps: [
        {
          kind: "action",
          id: "stop-services",
          title: ({ item }) => `${item}: gcluster_services all stop`,
          host: { host: ({ item }) => item },
          argv: stopAllServicesArgv(),
          idempotent: true,
          onFailure: ({ item }) => `Some services on ${item} may still run. Read the [FAILED] lines, stop them by hand, then retry (stopping a stopped service is harmless).`,
        },
      ],
    }),
    forEach<string>({
      id: "stop-gcware",
      title: "Stop gcware",
      items: ({ nodes }) => gcwareNodes(nodes),
      label: (node) => node,
      steps: [
        {
          kind: "action",
          id: "stop-gcware-before",
          title: ({ item, params }) => `${item}: ${gcwareServiceArgv(params.version, "stop").join(" ")}`,
          host: { node: ({ item }) => item },
          argv: ({ params }) => gcwareServiceArgv(params.version, "stop"),
          idempotent: true,
          onFailure: ({ item }) => `gcware on ${item} may still run. Stop it by hand and retry.`,
        },
      ],
    }),
    forEach<string>({
      id: "start-gcware",
      title: "Start only gcware",
      items: ({ nodes }) => gcwareNodes(nodes),
      label: (node) => node,
      steps: [
        {
          kind: "action",
          id: "start-only-gcware",
          title: ({ item, params }) => `${item}: ${gcwareServiceArgv(params.version, "start").join(" ")}`,
          host: { node: ({ item }) => item },
          argv: ({ params }) => gcwareServiceArgv(params.version, "start"),
          idempotent: true,
          onFailure: ({ item }) =>
            `gcware did not start on ${item}; the rest of the cluster is stopped. Read ${item}'s gcware log, fix the cause and retry; the flush needs every gcware OPEN.`,
        },
      ],
    }),
    {
      kind: "wait-until",
      id: "all-open",
      title: "Every gcware is OPEN in gcadmin",
      host: onOneCoordinator,
      argv: gcadminArgv(),
      until: parsed(gcadminOutput, (status, { nodes }) => everyGcwareOpen(status, gcwareNodes(nodes))),
      progress: (output, { nodes }) => {
        const status = gcadminOutput(output);
        if (!status.ok) return status.reason;
        const rows = status.value.coordinators.rows;
        const open = rows.filter((r) => r.gcware === "OPEN").length;
        return `${open}/${gcwareNodes(nodes).length} gcware OPEN: ${rows.map((r) => `${r.name} ${textOf(r.gcware)}`).join(", ")}`;
      },
      timeoutMs: OPEN_TIMEOUT_MS,
      pollMs: OPEN_POLL_MS,
      onFailure: "The flush was not requested. The nodes named are not OPEN: start their gcware (or fix why it refuses) and retry this step.",
    },
    {
      kind: "action",
      id: "flush",
      title: "gcware.flush_statemachine() on one coordinator",
      host: onOneCoordinator,
      argv: flushArgv(),
      // A second request only writes one more snapshot; every node is still compared with its record.
      idempotent: true,
      onFailure: "python did not print 1: the request was not sent. Check that this coordinator's gcware is OPEN and `import gcware` works, then retry.",
    },
    forEach<string>({
      id: "flushed",
      title: "Wait for the new snapshot",
      items: ({ nodes }) => gcwareNodes(nodes),
      label: (node) => node,
      steps: [
        {
          kind: "wait-until",
          id: "new-snapshot",
          title: ({ item }) => `${item}: a snapshot newer than recorded, no .s left`,
          host: { node: ({ item }) => item },
          argv: ({ item, params, settings }) => compareArgv(settings, params.recordId, item),
          until: parsed(comparison, (c, { item }) => (c.progress === "completed" ? { ok: true } : { ok: false, reason: describeComparison(item, c) })),
          progress: (output, { item }) => {
            const c = comparison(output);
            return c.ok ? describeComparison(item, c.value) : `${item}: ${c.reason}`;
          },
          timeoutMs: FLUSH_TIMEOUT_MS,
          pollMs: FLUSH_POLL_MS,
          onFailure: ({ item }) =>
            `${item} did not finish the flush in time (a .s directory still being written, or no newer snapshot). gcware is still running on every node: ` +
            "check that node's gcware, request the flush again (retry the flush step) or stop gcware and investigate before upgrading.",
        },
      ],
    }),
    forEach<string>({
      id: "stop-after",
      title: "Stop gcware again",
      items: ({ nodes }) => gcwareNodes(nodes),
      label: (node) => node,
      steps: [
        {
          kind: "action",
          id: "stop-gcware-after",
          title: ({ item, params }) => `${item}: ${gcwareServiceArgv(params.version, "stop").join(" ")}`,
          host: { node: ({ item }) => item },
          argv: ({ params }) => gcwareServiceArgv(params.version, "stop"),
          idempotent: true,
          onFailure: ({ item }) => `The flush is done, but gcware on ${item} may still run. Stop it by hand before the upgrade.`,
        },
      ],
    }),
    forEach<string>({
      id: "summary",
      title: "Snapshot versions before and after",
      items: ({ nodes }) => gcwareNodes(nodes),
      label: (node) => node,
      steps: [
        {
          kind: "verify",
          id: "versions",
          title: ({ item }) => `${item}: old and new snapshot version`,
          host: { node: ({ item }) => item },
          argv: ({ item, params, settings }) => compareArgv(settings, params.recordId, item),
          assert: parsed(comparison, (c, { item }) => (c.progress === "completed" ? { ok: true, note: describeComparison(item, c) } : { ok: false, reason: describeComparison(item, c) })),
        },
      ],
    }),
  ],
});

/** What the summary step's output says, for the run view: `coordinator1: SNAPSHOT.142.37975 → SNAPSHOT.142.38390 (flushed)`. */
export function summaryLine(node: string, output: ProbeOutput): string {
  const c = comparison(output);
  return c.ok ? describeComparison(node, c.value) : `${node}: ${c.reason}`;
}
