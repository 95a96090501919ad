// Argv for the seed-002 procedure's commands. Quoting happens once, in the SSH layer; here values
// are validated so nothing but the intended argument can reach a host.
import { z } from "zod";
import type { GbaseVersion } from "./types";

/** A node's $GCWARE_BASE as a procedure parameter; builders below assume it passed this. */
export const gcwareBaseSchema = z
  .string()
  .regex(/^\/[A-Za-z0-9._\/-]*$/, "GCWARE_BASE must be an absolute path of plain characters")
  .refine((p) => !p.split("/").includes(".."), "GCWARE_BASE must not contain '..'");

export const gcadminArgv = (): string[] => ["gcadmin"];

/** Seed step 2(1): stop every service on a node (V953 stops gcware separately). */
export const stopAllServicesArgv = (): string[] => ["gcluster_services", "all", "stop"];

/** Seed step 2(2): V952 starts gcware through gcluster_services, V953 through gcware_services. */
export function gcwareServiceArgv(version: GbaseVersion, action: "start" | "stop" | "status"): string[] {
  return version === "V952" ? ["gcluster_services", "gcware", action] : ["gcware_services", "gcware", action];
}

/** Seed step 2(4). `print` because a non-interactive python echoes nothing; the reply 1 = sent. */
export const flushStatemachineArgv = (): string[] => ["python", "-c", "import gcware; print(gcware.flush_statemachine())"];

/** Seed steps 1 and 3(1): the gcware data directory listing, in a stable locale. */
export function listGcwareDataDirArgv(gcwareBase: string): string[] {
  const base = gcwareBaseSchema.parse(gcwareBase).replace(/\/+$/, "");
  return ["env", "LC_ALL=C", "ls", "-l", `${base}/data/gcware`];
}
