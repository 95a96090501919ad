// Test harness: a temporary simulated cluster, tools run in-process against a controllable clock,
// and `ls -l` of a node's real gcware directory parsed with Keel's parser.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseGcadmin } from "../../../lib/engines/gbase/parse-gcadmin";
import { parseGcwareSnapshots } from "../../../lib/engines/gbase/parse-snapshots";
import type { GcadminStatus, GcwareSnapshots } from "../../../lib/engines/gbase/types";
import type { ToolContext, ToolResult } from "./context";
import { gcwareDataDir } from "./disk";
import { runGcadmin } from "./gcadmin";
import { runPython } from "./python-cli";
import { runServiceScript } from "./services";
import { settle } from "./store";
import type { GbaseVersion } from "./topology";

export const COORDINATORS = [
  { name: "coordinator1", ip: "10.0.2.102" },
  { name: "coordinator2", ip: "10.0.2.202" },
  { name: "coordinator3", ip: "10.0.2.203" },
] as const;
export const HOSTS = [COORDINATORS[0].ip, COORDINATORS[1].ip, COORDINATORS[2].ip] as const;

export type Lab = ReturnType<typeof makeLab>;

export function makeLab(opts: { version: GbaseVersion; timeScale?: number }) {
  const root = mkdtempSync(path.join(tmpdir(), "keel-gbase-"));
  const stateDir = path.join(root, "state");
  const baseOf = (name: string) => path.join(root, "hosts", name, "gcware");
  execFileSync("mkdir", ["-p", stateDir]);
  writeFileSync(
    path.join(stateDir, "topology.json"),
    JSON.stringify({
      version: opts.version,
      coordinators: COORDINATORS.map((c) => ({ ...c, gcwareBase: baseOf(c.name) })),
      dataNodes: COORDINATORS.map((c, i) => ({ name: `node${i + 1}`, ip: c.ip, distributionId: 6 })),
    }),
  );
  const clock = { nowMs: Date.UTC(2026, 10, 23, 10, 0, 0) };
  const ctx = (host: string): ToolContext => ({ stateDir, host, gcwareBase: undefined, timeScale: opts.timeScale ?? 1, now: () => clock.nowMs });
  return {
    root,
    stateDir,
    clock,
    baseOf,
    ctx,
    advance: (ms: number) => void (clock.nowMs += ms),
    gcadmin: (host: string): ToolResult => runGcadmin(ctx(host), []),
    gclusterServices: (host: string, ...argv: string[]): ToolResult => runServiceScript("gcluster_services", ctx(host), argv),
    gcwareServices: (host: string, ...argv: string[]): ToolResult => runServiceScript("gcware_services", ctx(host), argv),
    python: (host: string, argv: string[], stdin = ""): ToolResult => runPython(ctx(host), argv, stdin),
    settle: () => settle(stateDir, clock.nowMs),
  };
}

export function gcadminStatus(result: ToolResult): GcadminStatus {
  if (result.code !== 0) throw new Error(`gcadmin failed (${result.code}): ${result.stderr}`);
  const parsed = parseGcadmin(result.stdout);
  if (!parsed.ok) throw new Error(`unparseable gcadmin output at line ${parsed.error.lineNumber}: ${parsed.error.message}`);
  return parsed.value.status;
}

/** What an operator sees with `ls -l $GCWARE_BASE/data/gcware` on that host. */
export function listSnapshots(gcwareBase: string): GcwareSnapshots {
  const out = execFileSync("ls", ["-l", gcwareDataDir(gcwareBase)], { encoding: "utf8", env: { ...process.env, LC_ALL: "C" } });
  const parsed = parseGcwareSnapshots(out);
  if (!parsed.ok) throw new Error(`unparseable ls output at line ${parsed.error.lineNumber}: ${parsed.error.line}`);
  return parsed.value.snapshots;
}

/** Polls until `check` returns a value, or fails at the deadline with the last observation. */
export async function pollUntil<T>(check: () => Promise<T | undefined> | T | undefined, what: string, deadlineMs = 10_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
