// Seed 001 §15.5: create the TAC database once, on the first instance's node, then bring the others up.
// The commands and SQL are planCreateDatabase's (create-database-plan.ts); this procedure places them on
// the inventory's instance nodes, checks each instance's tip first and verifies the result through
// `cmrctl show all` and V$THREAD. SYS's password travels only as a credential on stdin (TBSQL_AS_SYS).
import { defineProcedure, parsed, type ArgvBuild, type CheckResult, type InventoryNode, type ParseOutcome, type ProbeOutput, type StepScope } from "../../../runs/model";
import type { ProbeTarget } from "../../../status/types";
import { planCreateDatabase, tbsqlScript, TBSQL_AS_SYS, type CreateDatabasePlan, type PlanStep } from "../create-database-plan";
import { cmStatusInfo, parseShowAll } from "../parse-cmrctl";
import { parseTip, tipGet } from "../parse-tip";
import { SHOW_ALL_ARGV } from "../status";
import type { CmShowAllParsed } from "../types";
import { cmUiPortFromTip, validateClusterTips } from "../validate-tips";
import { createDatabaseParameters, planInput, type CreateDatabaseForm } from "./create-database-params";

type Refusal = { ok: false; field: string; message: string };
type Planned = { ok: true; plan: CreateDatabasePlan; instances: string[] } | Refusal;

export const ALL_UP_TIMEOUT_MS = 5 * 60_000;
export const ALL_UP_POLL_MS = 5_000;

/** TAC instances in inventory order: the first creates the database and runs redo thread 0. */
export function instanceNodes(nodes: readonly InventoryNode[]): string[] {
  return nodes.filter((n) => n.type === "instance").map((n) => n.name);
}

function tbHomeOf(form: CreateDatabaseForm, settings: ProbeTarget["settings"]): string | Refusal {
  const home = form.tbHome ?? settings.TB_HOME;
  if (typeof home !== "string" || !home.startsWith("/")) return { ok: false, field: "tbHome", message: "not given, and the cluster has no TB_HOME setting" };
  return home;
}

/** The plan for this form on this inventory, or the one field to change. */
export function planFor(form: CreateDatabaseForm, settings: ProbeTarget["settings"], nodes: readonly InventoryNode[]): Planned {
  const instances = instanceNodes(nodes);
  if (instances.length !== form.instances) {
    return { ok: false, field: "instances", message: `the cluster has ${instances.length} instance node(s) (${instances.join(", ") || "none"}), not ${form.instances}` };
  }
  const tbHome = tbHomeOf(form, settings);
  if (typeof tbHome !== "string") return tbHome;
  const input = planInput(form, tbHome);
  if (typeof input === "string") return { ok: false, field: "threadFiles", message: input };
  const planned = planCreateDatabase(input);
  if (!planned.ok) {
    const [first] = planned.refusals;
    return { ok: false, field: first?.field ?? "parameters", message: first?.message ?? "refused" };
  }
  return { ok: true, plan: planned.plan, instances };
}

type Scope<I> = StepScope<CreateDatabaseForm, I>;

/** argv of one step of the plan; every step refuses the same way when the plan is refused. */
function planArgv(scope: Scope<unknown>, pick: (plan: CreateDatabasePlan) => string[]): ArgvBuild {
  const planned = planFor(scope.params, scope.settings, scope.nodes);
  return planned.ok ? pick(planned.plan) : planned;
}

function planStep(scope: Scope<string>): PlanStep | undefined {
  const planned = planFor(scope.params, scope.settings, scope.nodes);
  return planned.ok ? planned.plan.steps.find((s) => s.id === scope.item) : undefined;
}

const TIP_SEPARATOR = "--- keel: cm tip ---";
// Each node's own $TB_HOME and $TB_SID (the seed's environment) name its tips.
const TIPS_SCRIPT = `cat -- "$TB_HOME/config/$TB_SID.tip" && echo '${TIP_SEPARATOR}' && cat -- "$TB_HOME/config/cm_$TB_SID.tip"`;

type TipItem = { node: string; thread: number };

/** One instance's tip before creation: the cluster rules, and THREAD/UNDO_TABLESPACE of its own thread. */
export function checkInstanceTip(output: ProbeOutput, item: TipItem, maxInstances: number): CheckResult {
  if (output.exitCode !== 0) return { ok: false, reason: `the tips could not be read: ${output.stderr.trim() || `exit ${output.exitCode}`}` };
  const [tipText = "", cmText = ""] = output.stdout.split(`${TIP_SEPARATOR}\n`);
  const fileName = `${item.node}.tip`;
  const cmUiPort = cmUiPortFromTip(cmText);
  const validation = validateClusterTips([{ fileName, text: tipText, host: item.node, ...(cmUiPort === undefined ? {} : { cmUiPort }) }], { creating: item.thread === 0, maxInstances });
  if (!validation.ok) return { ok: false, reason: validation.error };
  const problems = validation.findings.filter((f) => f.severity === "error").map((f) => `${f.file}:${f.line} ${f.message} (${f.fix})`);
  const tip = parseTip(tipText);
  if (tip.ok) {
    const thread = tipGet(tip.value, "THREAD")?.value;
    const undo = tipGet(tip.value, "UNDO_TABLESPACE")?.value;
    if (thread !== String(item.thread)) problems.push(`${fileName}: THREAD=${thread ?? "(missing)"}, but this instance gets redo thread ${item.thread} (set THREAD=${item.thread})`);
    if (undo?.toUpperCase() !== `UNDO${item.thread}`) problems.push(`${fileName}: UNDO_TABLESPACE=${undo ?? "(missing)"}, but this instance gets UNDO${item.thread} (set UNDO_TABLESPACE=UNDO${item.thread})`);
  }
  return problems.length === 0 ? { ok: true } : { ok: false, reason: [...new Set(problems)].join("; ") };
}

export function showAll(output: ProbeOutput): ParseOutcome<CmShowAllParsed> {
  if (output.exitCode !== 0) return { ok: false, reason: `cmrctl show all exited ${output.exitCode}: ${output.stderr.trim()}` };
  const r = parseShowAll(output.stdout);
  return r.ok ? { ok: true, value: r.value } : { ok: false, reason: `cmrctl show all unreadable at line ${r.error.lineNumber}: ${r.error.message}` };
}

/** Every instance is a db resource in UP(NRML) on some node's list. */
export function instancesUp(view: CmShowAllParsed, instances: readonly string[]): CheckResult {
  const dbs = view.nodes.flatMap((n) => n.resources.filter((r) => r.type === "db"));
  const wrong = instances.flatMap((name) => {
    const db = dbs.find((r) => r.name === name);
    if (!db) return [`${name} not listed (its CM is down?)`];
    const info = cmStatusInfo(db.status);
    return db.status === "UP(NRML)" ? [] : [`${name} ${info.known ? db.status : `unrecognised status ${db.status}`}`];
  });
  return wrong.length === 0 ? { ok: true } : { ok: false, reason: `not every instance is UP(NRML): ${wrong.join(", ")}` };
}

/** `SELECT THREAD#, STATUS, ENABLED FROM V$THREAD` as tbsql prints it → enabled threads. */
export function enabledThreads(output: ProbeOutput): ParseOutcome<number[]> {
  if (output.exitCode !== 0) return { ok: false, reason: `tbsql exited ${output.exitCode}: ${(output.stdout.match(/TBR-\d+:.*/) ?? [output.stderr.trim()])[0]}` };
  const rows = output.stdout.split("\n").map((l) => /^(?:SQL>\s*)?(\d+)\s+\S+\s+(\S+)\s*$/.exec(l.trim())).filter((m) => m !== null);
  if (rows.length === 0) return { ok: false, reason: "V$THREAD listed no thread" };
  return { ok: true, value: rows.filter((m) => m[2] === "PUBLIC" || m[2] === "PRIVATE").map((m) => Number(m[1])) };
}

export const V_THREAD_SQL = "SELECT THREAD#, STATUS, ENABLED FROM V$THREAD;\n";

function nodeOf(scope: Scope<unknown>, instance: number): string {
  return instanceNodes(scope.nodes)[instance] ?? "";
}

export const createDatabase = defineProcedure({
  id: "tibero.create-database",
  engine: "TIBERO",
  title: "Create the TAC database",
  description:
    "Creates the shared database once on the first instance (tbcm -b, tbboot -t NOMOUNT -c, CREATE DATABASE), adds an undo tablespace and redo thread per further instance, SYSSUB where needed, runs system.sh and boots the other instances.",
  parameters: createDatabaseParameters,
  mutating: true,
  approval: "none",
  steps: ({ forEach }) => [
    forEach<TipItem>({
      id: "tips",
      title: "Check each instance's tip",
      items: ({ nodes }) => instanceNodes(nodes).map((node, thread) => ({ node, thread })),
      label: (item) => item.node,
      steps: [
        {
          kind: "precheck",
          id: "tip",
          title: ({ item }) => `${item.node}: TAC parameters, THREAD=${item.thread}, UNDO_TABLESPACE=UNDO${item.thread}`,
          host: { node: ({ item }) => item.node },
          argv: (scope) => planArgv(scope, () => ["sh", "-c", TIPS_SCRIPT]),
          assert: (output, { item, params }) => checkInstanceTip(output, item, params.maxInstances),
        },
      ],
    }),
    {
      kind: "confirm",
      id: "approve",
      title: "Approve creating the database",
      text: ({ params, nodes }) =>
        `CREATE DATABASE "${params.dbName}" with MAXINSTANCES ${params.maxInstances} on ${instanceNodes(nodes)[0] ?? "the first instance"}. ` +
        "It writes the control, log and data files on the shared disk; existing files of the same names are overwritten. It runs once, for the whole cluster.",
      destructive: true,
    },
    forEach<string>({
      id: "create",
      title: "Create the database and start the instances",
      items: (scope) => {
        const planned = planFor(scope.params, scope.settings, scope.nodes);
        // A refused plan still yields the first step, whose argv names the field to change.
        return planned.ok ? planned.plan.steps.map((s) => s.id) : ["cm-boot"];
      },
      label: (id) => id,
      steps: [
        {
          kind: "action",
          id: "run",
          title: (scope) => {
            const step = planStep(scope);
            return step ? `${nodeOf(scope, step.instance)}: ${step.title}` : scope.item;
          },
          host: {
            node: (scope) => nodeOf(scope, planStep(scope)?.instance ?? 0),
          },
          argv: (scope) => planArgv(scope, (plan) => plan.steps.find((s) => s.id === scope.item)?.argv ?? []),
          stdin: (scope) => {
            const step = planStep(scope);
            return step?.stdin === undefined ? null : { credential: scope.params.sysCredential, text: step.stdin };
          },
          idempotent: false,
          timeoutMs: 30 * 60_000,
          onFailure: (scope) => {
            const step = planStep(scope);
            const expected = step?.expect.length ? ` It should print: ${step.expect.join(" / ").replace(/\.$/, "")}.` : "";
            switch (scope.item) {
              case "create-database":
                return `CREATE DATABASE failed; nothing usable was created.${expected} Read the TBR error, fix the tip or the files on the shared disk, boot NOMOUNT again (tbboot -t NOMOUNT -c) and retry.`;
              case "system-sh":
                return "The database exists but its dictionary may be incomplete. Read system.sh's output, fix the cause and run it again.";
              default:
                return `Stopped here; the steps before it are done.${expected} Read the output (a TBR code names the cause), fix it, then retry or mark this step done if it did take effect.`;
            }
          },
        },
      ],
    }),
    {
      kind: "wait-until",
      id: "all-up",
      title: "Every instance is UP(NRML) in cmrctl show all",
      host: { node: (scope) => nodeOf(scope, 0) },
      argv: SHOW_ALL_ARGV,
      until: parsed(showAll, (view, { nodes }) => instancesUp(view, instanceNodes(nodes))),
      timeoutMs: ALL_UP_TIMEOUT_MS,
      pollMs: ALL_UP_POLL_MS,
      onFailure: "An instance did not come up. Check its CM and boot it with tbboot on its node; its tip's THREAD must be a thread that was enabled.",
    },
    {
      kind: "verify",
      id: "threads",
      title: "V$THREAD: every instance's redo thread is enabled",
      host: { node: (scope) => nodeOf(scope, 0) },
      argv: [...TBSQL_AS_SYS],
      stdin: ({ params }) => ({ credential: params.sysCredential, text: tbsqlScript([V_THREAD_SQL.trim()]) }),
      assert: parsed(enabledThreads, (enabled, { params }) => {
        const missing = Array.from({ length: params.instances }, (_, t) => t).filter((t) => !enabled.includes(t));
        return missing.length === 0 ? { ok: true } : { ok: false, reason: `redo thread(s) ${missing.join(", ")} not enabled` };
      }),
    },
  ],
});
