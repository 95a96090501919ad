// The probe against REAL PostgreSQL 15 servers: a primary and a pg_basebackup -R streaming standby on
// two loopback addresses, psql run through the local runner as Keel would run it over SSH.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localRunner } from "../../status/local-runner";
import type { ClusterObservation, ProbeTarget } from "../../status/types";
import { probePostgres } from "./status";
import { pollUntil } from "../../status/built-sims";
import { PG15_BIN, promote, sql, startPgPair, stopServer, until, type PgPair } from "./testing";

const PORT = 5439;
let pair: PgPair;

// Each "host" reaches its own server the way a lab host's login environment does: through PGHOST.
const run = localRunner({ pg1: { env: { PGHOST: "127.0.0.231" } }, pg2: { env: { PGHOST: "127.0.0.232" } } });

function target(roles: { primary: "primary" | "standby"; standby: "primary" | "standby" }): ProbeTarget {
  return {
    engine: "POSTGRESQL",
    version: "15",
    settings: { PGDATA: "/unused", PGPORT: PORT, PGBIN: PG15_BIN },
    nodes: [
      { name: pair.primary.name, type: "server", role: roles.primary, group: null, hostName: "pg1", hostAddress: pair.primary.address },
      { name: pair.standby.name, type: "server", role: roles.standby, group: null, hostName: "pg2", hostAddress: pair.standby.address },
    ],
  };
}
const asInventory = () => target({ primary: "primary", standby: "standby" });
const node = (o: ClusterObservation, name: string) => o.nodes.find((n) => n.name === name);

// No skip when the binaries are missing: `npm test` installs them, and a missing server must fail loudly.
describe("PostgreSQL probe on real servers", () => {
  beforeAll(async () => {
    pair = await startPgPair("127.0.0.231", "127.0.0.232", PORT);
    await until(async () => (await sql(pair.primary, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")) === "1", 20_000, "streaming");
  }, 60_000);
  afterAll(async () => {
    await pair?.stop();
  });

  it("reports the primary, a streaming standby with lag 0, the slot and the timelines", async () => {
    await sql(pair.primary, "CREATE TABLE t AS SELECT generate_series(1, 10000) AS i");
    // Replay catches up asynchronously: poll the probe itself until the standby reports no lag.
    let o: ClusterObservation = await probePostgres(asInventory(), run);
    await until(async () => {
      o = await probePostgres(asInventory(), run);
      return node(o, pair.standby.name)?.detail.lagBytes === 0 && node(o, pair.standby.name)?.detail.primaryReplayLagBytes === 0;
    }, 10_000, "lag 0");
    expect(o.errors).toEqual([]);
    expect(o.health).toBe("healthy");
    const p = node(o, pair.primary.name);
    const s = node(o, pair.standby.name);
    expect(p).toMatchObject({ type: "server", desired: "primary", actual: "primary", mismatch: false, flags: [] });
    expect(p?.detail).toMatchObject({ timeline: 1, streaming: 1, senders: 1, slots: 1, archiveFailing: false });
    expect(s).toMatchObject({ desired: "standby", actual: "standby", rpState: "streaming", mismatch: false, flags: [] });
    expect(s?.detail).toMatchObject({ timeline: 1, lagBytes: 0, lagSeconds: 0, primaryReplayLagBytes: 0, syncState: "async" });
    expect(s?.detail.receiveLsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    const panel = o.panels.replication as { slots: { slot_name: string; active: boolean }[]; senders: { state: string; application_name: string }[] };
    expect(panel.slots).toEqual([expect.objectContaining({ slot_name: "standby1", active: true })]);
    expect(panel.senders).toEqual([expect.objectContaining({ state: "streaming", application_name: pair.standby.name })]);
  });

  it("marks both servers as mismatched when the inventory has the roles the other way round", async () => {
    const o = await probePostgres(target({ primary: "standby", standby: "primary" }), run);
    expect(o.health).toBe("degraded");
    expect(node(o, pair.primary.name)).toMatchObject({ desired: "standby", actual: "primary", mismatch: true });
    expect(node(o, pair.standby.name)).toMatchObject({ desired: "primary", actual: "standby", mismatch: true });
    expect(o.reason).toContain(`server ${pair.primary.name}: desired standby, is a primary`);
  });

  it("a promoted standby: a new timeline, two primaries, degraded", async () => {
    await promote(pair.standby);
    const o = await pollUntil(
      () => probePostgres(asInventory(), run),
      (x) => node(x, pair.standby.name)?.detail.timeline === 2,
      15_000,
      "timeline 2 on the promoted standby",
    );
    expect(node(o, pair.standby.name)).toMatchObject({ desired: "standby", actual: "primary", mismatch: true });
    expect(node(o, pair.primary.name)?.detail).toMatchObject({ timeline: 1, streaming: 0 });
    expect(o.health).toBe("degraded");
    expect(o.reason.startsWith(`2 servers are primary: ${pair.primary.name}, ${pair.standby.name}`)).toBe(true);
  });

  it("a stopped standby: its error names the host, the slot goes inactive, the cluster is degraded", async () => {
    await stopServer(pair.standby);
    const o = await probePostgres(asInventory(), run);
    expect(o.health).toBe("degraded");
    expect(o.errors).toEqual([{ host: "pg2", message: `${pair.standby.name}: psql exited with 2: psql: error: connection to server at "${pair.standby.address}", port ${PORT} failed: Connection refused` }]);
    expect(node(o, pair.standby.name)).toMatchObject({ actual: null, mismatch: true, flags: ["no answer"] });
    expect(node(o, pair.primary.name)?.detail).toMatchObject({ streaming: 0 });
    expect(o.reason).toContain(`slot standby1 on ${pair.primary.name} inactive`);
  });

  it("nothing answering is down", async () => {
    const o = await probePostgres({ ...asInventory(), nodes: asInventory().nodes.slice(1) }, run);
    expect(o.health).toBe("down");
    expect(o.nodes).toHaveLength(1);
  });
});
