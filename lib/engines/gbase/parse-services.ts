// Output of `gcluster_services … start|stop` / `gcware_services gcware start|stop`: one
// "Starting gcware :   [  OK  ]" line per service. Other lines (banners) are kept, not fatal.
import { ok, type ParseResult, type ServiceActionLine } from "./types";

const ACTION_LINE = /^(Starting|Stopping) (\S+) :\s+\[\s*(OK|FAILED)\s*\]\s*$/;

export type ServiceActions = { actions: ServiceActionLine[]; otherLines: string[] };

export function parseServiceActions(text: string): ParseResult<ServiceActions> {
  const actions: ServiceActionLine[] = [];
  const otherLines: string[] = [];
  for (const line of text.replace(/\r\n/g, "\n").split("\n")) {
    if (line.trim() === "") continue;
    const m = ACTION_LINE.exec(line);
    if (m) actions.push({ verb: m[1] === "Starting" ? "Starting" : "Stopping", service: m[2] ?? "", outcome: m[3] === "OK" ? "OK" : "FAILED" });
    else otherLines.push(line);
  }
  return ok({ actions, otherLines });
}
