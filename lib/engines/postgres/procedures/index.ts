// Every PostgreSQL procedure of seed 004, in the order a pair lives through them.
import type { Procedure } from "../../../runs/model";
import { failbackRewind } from "./failback-rewind";
import { failover } from "./failover";
import { streamingSetup } from "./streaming-setup";
import { switchback } from "./switchback";
import { warmStandby } from "./warm-standby";

export { failbackRewind, failover, streamingSetup, switchback, warmStandby };

/** Typed as plain procedures so the engine can hold them in one list and pick one by id. */
export const postgresProcedures: readonly Procedure[] = [streamingSetup, warmStandby, failover, failbackRewind, switchback];
