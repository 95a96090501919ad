// Seed 004 §2.3 / §3.3: fail-over to a standby. The old primary is fenced first — stopped cleanly when
// reachable (its walsenders ship every WAL record before they exit), attested down by a DBA when not —
// then the standby replays all it received, is promoted (pg_promote() 12+, pg_ctl promote, or the
// trigger file ≤ 15), and is verified read-write on a new timeline. Last, its archive_command must not
// point at itself (the seed's "archiver process failed on …").
import { z } from "zod";

import { defineProcedure, parsed } from "../../../runs/model";
import { confString } from "../config-gen";
import { parsePrimaryState } from "../parse";
import { primaryQuery } from "../queries";
import { factsQuery, failure, majorField, majorOf, nodeField, pgCtl, psql, serverFacts, type ServerFacts, majorFromInventory } from "./shared";
import { guardOf, nodeSelector, onServer, promoteSteps, versionCheck, waitStreamingStep } from "./steps";

export const promoteMethodField = z
  .enum(["auto", "pg_promote", "pg_ctl", "trigger-file"])
  .default("auto")
  .meta({ label: "Promote with", help: "auto: pg_promote() from 12, pg_ctl promote before; trigger-file: the file the standby's configuration names (≤ 15 only)" });

export const failoverParameters = z.object({
  major: majorField,
  standby: nodeField("Standby to promote", "host:port of the standby that becomes the primary"),
  oldPrimary: nodeField("Failed primary", "host:port of the primary being replaced"),
  oldPrimaryReachable: z.boolean().default(true).meta({
    label: "Old primary reachable",
    help: "Set: Keel stops it cleanly first (no committed WAL left behind). Clear: a DBA attests it is down or cut off, and transactions it did not stream are lost",
  }),
  maxLagBytes: z.number().int().min(0).default(16 * 1024 * 1024).meta({ label: "Largest acceptable lag (bytes)", help: "Refuse when the standby is further behind than this before the old primary stops" }),
  method: promoteMethodField,
  triggerFile: z.string().regex(/^\/[A-Za-z0-9._\/-]*$/, "an absolute path").optional().meta({ label: "Trigger file", help: "For trigger-file promotion: the file named by trigger_file / promote_trigger_file" }),
  newArchiveCommand: z
    .string()
    .max(500)
    .regex(/^[^\n\r]*$/, "one line")
    .optional()
    .meta({ label: "New archive_command", help: "For the promoted server when its old one copies WAL to itself (the seed's 'archiver failed'); empty: unchanged" }),
});

type Params = z.output<typeof failoverParameters>;
const SB = (p: Params) => p.standby;

/** Does archive_command ship WAL to the server's own address (what the promoted standby inherited)? */
export function archivesToItself(f: ServerFacts, ownAddress: string): boolean {
  if (f.archive_mode === "off" || f.archive_command === "" || f.archive_command === "(disabled)") return false;
  return new RegExp(`(^|[@\\s:/])${ownAddress.replaceAll(".", "\\.")}(:|\\s|$)`).test(f.archive_command);
}

export const failover = defineProcedure({
  id: "postgres.failover",
  engine: "POSTGRESQL",
  fromInventory: majorFromInventory,
  title: "Fail-over to a standby",
  description: "Promotes a standby after the primary failed (or to replace it): fence, replay, promote, verify the new timeline and read-write.",
  parameters: failoverParameters,
  mutating: true,
  approval: "second-dba",
  steps: ({ forEach }) => [
    versionCheck<Params>("standby-version", "standby", SB, "standby"),
    forEach<string>({
      id: "reachable",
      title: "Old primary reachable: lag, then a clean stop",
      items: (s) => (s.params.oldPrimaryReachable ? [s.params.oldPrimary] : []),
      label: (n) => n,
      steps: [
        {
          kind: "precheck",
          id: "lag",
          title: (s) => `${s.params.standby} streams from ${s.item} with lag ≤ ${s.params.maxLagBytes} bytes`,
          host: { node: (s) => s.item },
          argv: (s) => onServer(s, "oldPrimary", s.item, (g) => psql(s.settings, g.port, primaryQuery(majorOf(s.params.major)))),
          assert: (out, s) => {
            if (out.exitCode !== 0) return { ok: false, reason: `${s.item} did not answer (${failure(out)}): clear "old primary reachable" and attest it is down instead` };
            const p = parsePrimaryState(out.stdout);
            if (!p.ok) return { ok: false, reason: `primary state: ${p.error.message}` };
            if (p.value.current_lsn === null) return { ok: false, reason: `${s.item} is in recovery, not a primary` };
            const row = p.value.replication.find((r) => r.application_name === s.params.standby) ?? (p.value.replication.length === 1 ? p.value.replication[0] : undefined);
            if (!row || row.state !== "streaming") return { ok: false, reason: `${s.params.standby} is not streaming from ${s.item}: stopping ${s.item} would not bring it up to date` };
            const bytes = row.replay_lag_bytes ?? 0;
            const seconds = row.replay_lag_seconds === null ? "?" : row.replay_lag_seconds.toFixed(1);
            if (bytes > s.params.maxLagBytes) return { ok: false, reason: `lag ${bytes} bytes / ${seconds} s is above ${s.params.maxLagBytes}: wait for the standby to catch up, or raise the limit` };
            return { ok: true };
          },
        },
        {
          kind: "confirm",
          id: "approve",
          title: (s) => `Approve failing over from ${s.item} to ${s.params.standby}`,
          text: (s) =>
            `${s.item} is stopped (fast shutdown: its sessions end, and it sends the standby every WAL record before it exits), then ${s.params.standby} is promoted. ` +
            `${s.item} must not be started again as a primary: fail it back with pg_rewind.`,
          destructive: true,
        },
        {
          kind: "action",
          id: "fence",
          title: (s) => `Fence ${s.item}: stop it cleanly`,
          host: { node: (s) => s.item },
          argv: (s) => onServer(s, "oldPrimary", s.item, () => pgCtl(s.settings, "stop")),
          idempotent: false,
          onFailure: (s) => `${s.item} may still run: stop it (pg_ctl stop -m fast, or immediate) before promoting, or two primaries will accept writes.`,
        },
      ],
    }),
    forEach<string>({
      id: "unreachable",
      title: "Old primary unreachable: attestation",
      items: (s) => (s.params.oldPrimaryReachable ? [] : [s.params.oldPrimary]),
      label: (n) => n,
      steps: [
        {
          kind: "confirm",
          id: "attest-down",
          title: (s) => `Attest that ${s.item} is down or cut off`,
          text: (s) =>
            `Keel cannot reach ${s.item} to stop it. Approve only if it is powered off or isolated so that no client can write to it: otherwise two primaries accept writes. ` +
            `Transactions ${s.item} committed but had not streamed to ${s.params.standby} (asynchronous replication) are lost.`,
          destructive: true,
        },
      ],
    }),
    waitStreamingStep<Params>("replayed", "standby", SB, { until: "replayed", timeoutMs: 10 * 60_000 }),
    // The promotion establishes the new roles: when it succeeds Keel records standby → primary and the
    // old primary → standby in the inventory (the cluster view then shows it not streaming until fail-back).
    ...promoteSteps<Params>("standby", SB, (p) => p.method, (p) => p.triggerFile, (p) => p.oldPrimary),
    forEach<string>({
      id: "archive-fix",
      title: "Correct archive_command",
      items: (s) => (s.params.newArchiveCommand !== undefined ? [s.params.newArchiveCommand] : []),
      label: (c) => c,
      steps: [
        {
          kind: "action",
          id: "set-archive-command",
          title: (s) => `Set archive_command on ${s.params.standby}`,
          host: nodeSelector(SB),
          argv: (s) => onServer(s, "standby", s.params.standby, (g) => psql(s.settings, g.port, [`ALTER SYSTEM SET archive_command = ${confString(s.item)}`, "SELECT pg_reload_conf()"])),
          idempotent: true,
          onFailure: "The promoted server runs; only archiving is affected. Fix the command and retry.",
        },
      ],
    }),
    {
      kind: "verify",
      id: "archive-command",
      title: (s) => `${s.params.standby}'s archive_command does not ship WAL to itself`,
      host: nodeSelector(SB),
      argv: (s) => onServer(s, "standby", s.params.standby, (g) => psql(s.settings, g.port, factsQuery(majorOf(s.params.major)))),
      assert: parsed(serverFacts, (f, s) => {
        const g = guardOf(s, "standby", s.params.standby);
        if (!g.ok || !archivesToItself(f, g.host)) return { ok: true };
        return {
          ok: false,
          reason: `archive_command '${f.archive_command}' copies WAL to ${g.host}, the promoted server itself: the archiver will fail ("archiver process failed on …"). Run again with a new archive_command (to the new standby's archive), or set archive_mode = off`,
        };
      }),
    },
  ],
});

