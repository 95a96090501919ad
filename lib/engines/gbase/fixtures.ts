// Reads the seed's output blocks, copied verbatim into fixtures/ (one file per block).
import { readFileSync } from "node:fs";
import path from "node:path";

export const FIXTURES = {
  gcadminOneGcwareOpen: "gcadmin-one-gcware-open.txt",
  llAfterFlush: "ll-gcware-after-flush.txt",
  servicesGcwareStart: "gcluster-services-gcware-start.txt",
  servicesGcwareStop: "gcluster-services-gcware-stop.txt",
  pythonFlushFourTimes: "python-session-flush-x4.txt",
  pythonFlushThenQuit: "python-session-flush-quit.txt",
} as const;

export function readFixture(name: keyof typeof FIXTURES): string {
  return readFileSync(path.join(import.meta.dirname, "fixtures", FIXTURES[name]), "utf8");
}
