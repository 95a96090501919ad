import { existsSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { labHostSpecSchema } from "./spec";

export const labHostStateSchema = z.object({
  spec: labHostSpecSchema,
  name: z.string(),
  address: z.string(),
  port: z.number(),
  user: z.string(),
  home: z.string(),
  hostKeyFingerprint: z.string(),
  hostKeyPath: z.string(),
  configPath: z.string(),
  logPath: z.string(),
  configHash: z.string(),
  pid: z.number().nullable(),
});
export type LabHostState = z.infer<typeof labHostStateSchema>;

export const labEstateSchema = z.object({
  version: z.literal(1),
  runDir: z.string(),
  sharedRoot: z.string(),
  binDir: z.string(),
  clientKeyPath: z.string(),
  hosts: z.array(labHostStateSchema),
});
export type LabEstate = z.infer<typeof labEstateSchema>;

export function estatePath(runDir: string): string {
  return path.join(runDir, "estate.json");
}

export async function readEstate(runDir: string): Promise<LabEstate | null> {
  const file = estatePath(runDir);
  if (!existsSync(file)) return null;
  return labEstateSchema.parse(JSON.parse(await readFile(file, "utf8")));
}

export async function writeEstate(estate: LabEstate): Promise<void> {
  const file = estatePath(estate.runDir);
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify(estate, null, 2) + "\n");
  await rename(tmp, file);
}
