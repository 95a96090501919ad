// Runs an engine's status command on one host (audited by runOnHost) and plans its output. Every
// failure is a sentence a person can act on: which command, which host, what it said.
import type { RemoteScope } from "@/lib/remote/run-on-host";
import { runOnHost } from "@/lib/remote/run-on-host";
import type { ImportSource } from "./source";
import type { ImportPlan } from "./types";

export type SourceRead = { ok: true; plan: ImportPlan } | { ok: false; message: string };

// Status commands answer in well under a second; a host that takes this long is reported, not waited on.
export const IMPORT_COMMAND_TIMEOUT_MS = 30_000;

const firstLine = (text: string): string => text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== "") ?? "";

export async function readImportSource(scope: RemoteScope, host: { id: string; name: string }, source: ImportSource): Promise<SourceRead> {
  const command = source.argv.join(" ");
  const result = await runOnHost(scope, host.id, source.argv, { timeoutMs: IMPORT_COMMAND_TIMEOUT_MS });
  if (!result.ok) return { ok: false, message: `Could not run ${command} on ${host.name}: ${result.message}` };
  if (result.exitCode === 127) return { ok: false, message: `${source.argv[0]} is not installed on ${host.name} (command not found); pick a host of this cluster where it runs.` };
  if (result.exitCode !== 0 && !source.acceptExit.includes(result.exitCode)) {
    const said = firstLine(result.stderr) || firstLine(result.stdout);
    return { ok: false, message: `${command} exited with ${result.exitCode} on ${host.name}${said ? `: ${said}` : ""}` };
  }
  const planned = source.plan(result.stdout);
  if (!planned.ok) {
    const { message, line, lineNumber } = planned.error;
    const at = lineNumber > 0 ? ` at line ${lineNumber}` : "";
    const shown = line.trim() === "" ? "" : ` ("${line.trim().slice(0, 160)}")`;
    return { ok: false, message: `The output of ${command} on ${host.name} could not be read${at}${shown}: ${message}. Nothing was imported.` };
  }
  if (planned.plan.nodes.length === 0) return { ok: false, message: `${command} on ${host.name} lists no node Keel can import${planned.plan.warnings.length ? ` (${planned.plan.warnings.join("; ")})` : ""}.` };
  return { ok: true, plan: planned.plan };
}
