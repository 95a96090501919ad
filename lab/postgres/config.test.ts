import { describe, expect, it } from "vitest";
import { testEstate } from "../estate/definition";
import { hbaConf, hostConf, sharedConf } from "./config";

describe("lab PostgreSQL configuration", () => {
  const [primary, standby] = testEstate().clusters.find((c) => c.engine === "POSTGRESQL")!.postgres;

  it("lets both hosts of a pair (and loopback's real source address) replicate with a password", () => {
    const hba = hbaConf([primary!.address, standby!.address], true);
    for (const a of [primary!.address, standby!.address, "127.0.0.1"]) expect(hba).toMatch(new RegExp(`host\\s+replication\\s+replicator\\s+${a.replaceAll(".", "\\.")}/32\\s+scram-sha-256`));
    expect(hbaConf([primary!.address], false)).not.toContain("replication     replicator");
  });

  it("keeps host-specific settings in the included keel-host.conf", () => {
    expect(sharedConf()).toContain("include_if_exists 'keel-host.conf'");
    expect(sharedConf()).toContain("wal_log_hints = on");
    expect(hostConf(standby!)).toBe(`listen_addresses = '${standby!.address}'\nport = 5432\nunix_socket_directories = '${standby!.socketDir}'\n`);
  });
});
