import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const DIR = path.join(import.meta.dirname, "fixtures");

// Every output block and config example of seed 003 (ProSync side), copied verbatim.
const COVERAGE: Record<string, string> = {
  "prs_install_agent.cfg": "parse-cfg.test.ts; the simulator installs from it",
  "prs_install_agent-session.txt": "lab/sim/prosync/cm-failover-setup.test.ts (simulator output, byte for byte)",
  "prs_0.sh": "parse-status.test.ts (generator and 127 verdict)",
  "prs_agent_agent1.cfg": "parse-cfg.test.ts",
  "prs_install.cfg": "parse-cfg.test.ts; lab/sim/prosync/failover-drill.test.ts",
  "prs_install-session.txt": "lab/sim/prosync/failover-drill.test.ts (step 2 lines verbatim)",
  "prs_adm-status.txt": "parse-status.test.ts; cm-failover-setup.test.ts and failover-drill.test.ts (byte for byte)",
};

describe("ProSync seed fixtures", () => {
  it("are all accounted for", () => {
    expect(readdirSync(DIR).sort()).toEqual(Object.keys(COVERAGE).sort());
  });
});
