// Seed 004's last line ("repeat the procedure to return to the original roles"), done as a planned
// switchover so no committed transaction is lost: the primary is shut down cleanly (writes stop, and
// its walsenders send the standby every WAL record up to the shutdown checkpoint before they exit),
// the standby replays all of it and is promoted, and the old primary — whose WAL ends where the new
// timeline begins, so it needs no rewind — follows the new primary as a standby.
import { z } from "zod";

import { defineProcedure } from "../../../runs/model";
import { majorField, nodeField, replicationUserField, slotField, slotFor, majorFromInventory } from "./shared";
import { promoteMethodField } from "./failover";
import {
  promoteSteps,
  replicationConnectionCheck,
  slotStep,
  standbyConfigStep,
  streamsFrom,
  startStep,
  stopStep,
  verifyStreamingStep,
  versionCheck,
  waitStreamingStep,
} from "./steps";

export const switchbackParameters = z.object({
  major: majorField,
  primary: nodeField("Current primary", "host:port of the primary that becomes a standby"),
  standby: nodeField("Standby to promote", "host:port of the standby that becomes the primary"),
  replicationUser: replicationUserField,
  slot: slotField,
  method: promoteMethodField,
  triggerFile: z.string().regex(/^\/[A-Za-z0-9._\/-]*$/, "an absolute path").optional().meta({ label: "Trigger file", help: "For trigger-file promotion, and written into the new standby's configuration (≤ 15)" }),
});

type Params = z.output<typeof switchbackParameters>;
const P = (p: Params) => p.primary;
const SB = (p: Params) => p.standby;
const slotOf = (s: { params: Params }) => slotFor(s.params.slot, s.params.primary.split(":")[0] ?? s.params.primary);

export const switchback = defineProcedure({
  id: "postgres.switchback",
  engine: "POSTGRESQL",
  fromInventory: majorFromInventory,
  title: "Switch-over (switch back)",
  description: "Swaps primary and standby with no committed transaction lost: clean stop, full replay, promote, the old primary follows as standby.",
  parameters: switchbackParameters,
  mutating: true,
  approval: "none",
  steps: [
    versionCheck<Params>("primary-version", "primary", P, "primary"),
    versionCheck<Params>("standby-version", "standby", SB, "standby"),
    waitStreamingStep<Params>("standby-streaming", "standby", SB, { until: "streaming", timeoutMs: 60_000 }),
    replicationConnectionCheck<Params>("return-path", ["standby", "primary"], SB, P),
    {
      kind: "confirm",
      id: "approve",
      title: (s) => `Approve switching ${s.params.primary} and ${s.params.standby}`,
      text: (s) =>
        `Writes stop while ${s.params.primary} shuts down and ${s.params.standby} is promoted (seconds): sessions on ${s.params.primary} are ended, clients must reconnect to ${s.params.standby}.`,
      destructive: false,
    },
    stopStep<Params>("stop-primary", "primary", P),
    waitStreamingStep<Params>("replayed", "standby", SB, { until: "replayed", timeoutMs: 10 * 60_000 }),
    // The promotion establishes the new roles: when it succeeds Keel's engine records them in the inventory.
    ...promoteSteps<Params>("standby", SB, (p) => p.method, (p) => p.triggerFile, (p) => p.primary),
    slotStep<Params>("slot", "standby", SB, slotOf),
    standbyConfigStep<Params>("standby-config", "primary", P, streamsFrom<Params>("standby", SB, P, slotOf)),
    startStep<Params>("start-old-primary", "primary", P),
    waitStreamingStep<Params>("caught-up", "primary", P, { until: "caught-up", timeoutMs: 10 * 60_000 }),
    verifyStreamingStep<Params>("new-primary-streams", "standby", SB, slotOf),
  ],
});
