// Seed 004 §3.4: fail-back of the old primary with pg_rewind after a fail-over. The new primary (the
// source) checkpoints on its new timeline; the old one (the target) must be stopped, cleanly — a
// target that crashed is first started with no TCP listener and stopped, as the seed does — carry the
// same system identifier, have diverged, and have wal_log_hints or data checksums. It is rewound (or,
// as the fallback, re-cloned with pg_basebackup), configured as a standby of the new primary for its
// major version, given a slot, started, and waited for until its lag is 0.
import { z } from "zod";

import { defineProcedure, parsed } from "../../../runs/model";
import { conninfo } from "../config-gen";
import {
  dataDirAndSourceProbe,
  dataDirProbe,
  dataDirState,
  explainConnectionError,
  factsQuery,
  majorField,
  majorOf,
  nodeField,
  passwordCredentialField,
  pgCtl,
  psql,
  replicationUserField,
  serverFacts,
  slotField,
  slotFor,
  splitIdentify,
  tool,
  majorFromInventory,
} from "./shared";
import {
  basebackupStep,
  hostConfBlock,
  nodeSelector,
  onServer,
  pgpassStep,
  slotStep,
  standbyConfigStep,
  streamsFrom,
  startStep,
  verifyStreamingStep,
  versionCheck,
  waitStreamingStep,
} from "./steps";

export const failbackParameters = z.object({
  major: majorField,
  target: nodeField("Old primary (target)", "host:port of the failed primary to turn into a standby"),
  source: nodeField("New primary (source)", "host:port of the promoted server"),
  replicationUser: replicationUserField,
  passwordCredential: passwordCredentialField,
  slot: slotField,
  targetCrashed: z.boolean().default(false).meta({
    label: "Target crashed",
    help: "Set when the old primary was killed or lost power: pg_rewind needs a clean shutdown, so Keel starts it without a TCP listener and stops it first (seed: start and stop)",
  }),
  method: z.enum(["pg_rewind", "re-clone"]).default("pg_rewind").meta({
    label: "Method",
    help: "pg_rewind copies only the blocks changed since the divergence. re-clone moves the target's PGDATA aside and copies the whole cluster with pg_basebackup: slower, for when pg_rewind cannot run",
  }),
  movedAsideAt: z
    .string()
    .regex(/^\d{8}T\d{6}$/, "YYYYMMDDThhmmss")
    // No time-based default: the plan a DBA reviews must compile to the same digest when the run starts
    // (a default of "now" changed it every second, and the start was refused as "the plan changed").
    .optional()
    .meta({ label: "Re-clone: suffix of the moved-aside PGDATA", help: "The old data directory is kept as $PGDATA.keel-<this>; empty: the host's UTC time of the move (printed by the step)" }),
  triggerFile: z.string().regex(/^\/[A-Za-z0-9._\/-]*$/, "an absolute path").optional().meta({ label: "Trigger file", help: "Optional (≤ 15): promotion by file later" }),
});

type Params = z.output<typeof failbackParameters>;
const T = (p: Params) => p.target;
const SRC = (p: Params) => p.source;
const FIELDS: [string, string] = ["source", "target"];
const slotOf = (s: { params: Params }) => slotFor(s.params.slot, s.params.target.split(":")[0] ?? s.params.target);

const MOVE_ASIDE =
  'set -e; s="${1:-$(date -u +%Y%m%dT%H%M%S)}"; if [ -e "$PGDATA" ]; then mv "$PGDATA" "$PGDATA.keel-$s"; echo "moved $PGDATA to $PGDATA.keel-$s"; fi; mkdir -m 700 "$PGDATA"';
const asideName = (p: Params) => `$PGDATA.keel-${p.movedAsideAt ?? "<UTC time of the move>"}`;

export const failbackRewind = defineProcedure({
  id: "postgres.failback-rewind",
  engine: "POSTGRESQL",
  fromInventory: majorFromInventory,
  title: "Fail-back with pg_rewind",
  description: "Turns the failed old primary into a standby of the new primary with pg_rewind (or a full re-clone), without copying the whole cluster.",
  parameters: failbackParameters,
  mutating: true,
  approval: "second-dba",
  steps: ({ forEach }) => [
    versionCheck<Params>("source-version", "source", SRC, "primary"),
    {
      kind: "precheck",
      id: "target-stopped",
      title: (s) => `${s.params.target} is stopped`,
      host: nodeSelector(T),
      argv: (s) => onServer(s, "target", s.params.target, () => dataDirProbe(s.settings)),
      assert: parsed(dataDirState, (d, s) => {
        if (d.running) return { ok: false, reason: `${s.params.target} is still running: fence it first (pg_ctl stop -m fast) — pg_rewind needs the target shut down` };
        if (d.version !== s.params.major) return { ok: false, reason: `${d.pgdata} holds ${d.version === null ? "no cluster" : `PostgreSQL ${d.version}`}, not ${s.params.major}` };
        const crashed = d.stalePid || d.control?.get("Database cluster state") === "in production";
        if (crashed && !s.params.targetCrashed) return { ok: false, reason: `${s.params.target} was not shut down cleanly (${d.stalePid ? "postmaster.pid left behind" : "pg_control says in production"}): plan again with "target crashed" set` };
        return { ok: true };
      }),
    },
    {
      kind: "action",
      id: "checkpoint",
      title: (s) => `CHECKPOINT on ${s.params.source}, so its control file shows the new timeline`,
      host: nodeSelector(SRC),
      argv: (s) => onServer(s, "source", s.params.source, (g) => psql(s.settings, g.port, "CHECKPOINT")),
      idempotent: true,
      onFailure: "Nothing changed; retry.",
    },
    {
      kind: "precheck",
      id: "source-ready",
      title: (s) => `${s.params.source} is a primary on a new, checkpointed timeline with full_page_writes`,
      host: nodeSelector(SRC),
      argv: (s) => onServer(s, "source", s.params.source, (g) => psql(s.settings, g.port, factsQuery(majorOf(s.params.major)))),
      assert: parsed(serverFacts, (f, s) => {
        if (f.in_recovery) return { ok: false, reason: `${s.params.source} is still a standby: fail over to it first` };
        if (f.full_page_writes !== "on") return { ok: false, reason: "full_page_writes is off on the source: pg_rewind refuses; ALTER SYSTEM SET full_page_writes = on and reload" };
        if (s.params.method === "pg_rewind" && f.checkpoint_timeline !== f.timeline) {
          return { ok: false, reason: `the last checkpoint is on timeline ${f.checkpoint_timeline ?? "?"}, the server on ${f.timeline ?? "?"}: run CHECKPOINT on ${s.params.source}` };
        }
        return { ok: true };
      }),
    },
    pgpassStep<Params>("pgpass-target", "target", T),
    {
      kind: "confirm",
      id: "approve",
      title: (s) => `Approve rewinding ${s.params.target} to ${s.params.source}`,
      text: (s) =>
        s.params.method === "pg_rewind"
          ? `pg_rewind overwrites what ${s.params.target} changed after the timelines diverged: transactions it committed after ${s.params.source} was promoted are discarded.`
          : `${s.params.target}'s data directory is moved aside (kept as ${asideName(s.params)}) and the whole cluster is copied from ${s.params.source}.`,
      destructive: true,
    },
    // Before the copy: pg_basebackup --slot needs it, and it keeps the source's WAL from here on.
    slotStep<Params>("slot", "source", SRC, slotOf),
    forEach<string>({
      id: "crash-recovery",
      title: "Finish the target's crash recovery",
      items: (s) => (s.params.targetCrashed ? [s.params.target] : []),
      label: (n) => n,
      steps: [
        {
          kind: "action",
          id: "start-local",
          title: (s) => `Start ${s.item} without a TCP listener to finish crash recovery`,
          host: { node: (s) => s.item },
          argv: (s) => onServer(s, "target", s.item, () => pgCtl(s.settings, "start", { socketOnly: true })),
          idempotent: false,
          onFailure: (s) => `${s.item} did not start: read its log. Without a clean shutdown pg_rewind cannot run; use the re-clone method.`,
        },
        {
          kind: "action",
          id: "stop-clean",
          title: (s) => `Stop ${s.item} cleanly`,
          host: { node: (s) => s.item },
          argv: (s) => onServer(s, "target", s.item, () => pgCtl(s.settings, "stop")),
          idempotent: false,
          onFailure: (s) => `${s.item} may still run (locally only): stop it with pg_ctl stop -m fast.`,
        },
      ],
    }),
    forEach<string>({
      id: "rewind",
      title: "pg_rewind",
      items: (s) => (s.params.method === "pg_rewind" ? [s.params.target] : []),
      label: (n) => n,
      steps: [
        {
          kind: "precheck",
          id: "rewindable",
          title: (s) => `${s.item} can be rewound from ${s.params.source}`,
          host: { node: (s) => s.item },
          argv: (s) =>
            onServer(s, "target", s.item, () =>
              onServer(s, "source", s.params.source, (g) => [
                ...dataDirAndSourceProbe(s.settings, conninfo({ host: g.host, port: g.port, user: s.params.replicationUser })),
              ]),
            ),
          assert: (out, s) => {
            const { dataDir, identify } = splitIdentify(out);
            const d = dataDirState(dataDir);
            if (!d.ok) return d;
            const c = d.value.control;
            if (c === null) {
              return { ok: false, reason: `pg_controldata is not in this host's PGBIN, so the target's control file cannot be read; PostgreSQL ${s.params.major}'s own pg_rewind and pg_controldata are needed (another major's refuse the data directory) — or use the re-clone method` };
            }
            if (c.get("Database cluster state") !== "shut down") return { ok: false, reason: `pg_control says "${c.get("Database cluster state") ?? "?"}": the target must be shut down cleanly` };
            if (c.get("wal_log_hints setting") !== "on" && (c.get("Data page checksum version") ?? "0") === "0") {
              return { ok: false, reason: "the target has neither wal_log_hints = on nor data checksums: pg_rewind refuses. Use the re-clone method now; set wal_log_hints = on on both servers for next time (the set-up procedure does)" };
            }
            if ("error" in identify) return { ok: false, reason: explainConnectionError(identify.error, { primary: s.params.source, user: s.params.replicationUser, source: "the target's host" }) };
            if (identify.systemId !== c.get("Database system identifier")) {
              return { ok: false, reason: `system identifiers differ (target ${c.get("Database system identifier") ?? "?"}, source ${identify.systemId}): not the same cluster — re-clone instead` };
            }
            const targetTl = Number(c.get("Latest checkpoint's TimeLineID"));
            if (identify.timeline === targetTl) return { ok: false, reason: `both are on timeline ${targetTl}: nothing diverged (was ${s.params.source} promoted?); configure ${s.item} as a standby without rewinding` };
            return { ok: true };
          },
        },
        {
          kind: "action",
          id: "pg-rewind",
          title: (s) => `pg_rewind ${s.item} from ${s.params.source}`,
          host: { node: (s) => s.item },
          argv: (s) =>
            onServer(s, "target", s.item, () =>
              onServer(s, "source", s.params.source, (g) => [
                "sh", "-c", 'exec "$@" --target-pgdata="$PGDATA"', "sh",
                tool(s.settings, "pg_rewind"),
                `--source-server=${conninfo({ host: g.host, port: g.port, user: s.params.replicationUser })} dbname=postgres`,
                "--progress",
              ]),
            ),
          idempotent: false,
          timeoutMs: 6 * 60 * 60_000,
          onFailure: (s) =>
            `pg_rewind failed; ${s.item} is stopped and may be half-rewound, so do not start it as it is. ` +
            `Re-clone instead: plan this procedure again with method "re-clone" — WARNING: that moves ${s.item}'s PGDATA aside and copies the whole cluster from ${s.params.source} (time and disk in proportion to its size).`,
        },
      ],
    }),
    forEach<string>({
      id: "re-clone",
      title: "Re-clone with pg_basebackup",
      items: (s) => (s.params.method === "re-clone" ? [s.params.target] : []),
      label: (n) => n,
      steps: [
        {
          kind: "action",
          id: "move-aside",
          title: (s) => `Move ${s.item}'s PGDATA aside (kept as ${asideName(s.params)})`,
          host: { node: (s) => s.item },
          argv: (s) => onServer(s, "target", s.item, () => ["sh", "-c", MOVE_ASIDE, "sh", ...(s.params.movedAsideAt !== undefined ? [s.params.movedAsideAt] : [])]),
          idempotent: false,
          onFailure: "Check the parent directory of PGDATA is writable and has room; nothing was deleted.",
        },
        basebackupStep<Params, string>("basebackup", FIELDS, SRC, T, slotOf),
      ],
    }),
    hostConfBlock<Params>(forEach, "host-conf", "target", T),
    standbyConfigStep<Params>("standby-config", "target", T, streamsFrom<Params>("source", SRC, T, slotOf)),
    // From here the target runs as a standby of the source: the roles the fail-over recorded hold again.
    startStep<Params>("start-target", "target", T),
    waitStreamingStep<Params>("caught-up", "target", T, { until: "caught-up", timeoutMs: 30 * 60_000 }),
    verifyStreamingStep<Params>("source-streams", "source", SRC, slotOf),
  ],
});

