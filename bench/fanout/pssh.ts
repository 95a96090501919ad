import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { LabEstate } from "@/lab/hosts";
import { runTimed } from "./processes";
import type { FanoutResult } from "./keel";

export type PsshSetup = { hostsFile: string; sshArgs: string; parallelism: number; nameByEndpoint: Map<string, string> };

export async function preparePssh(estate: LabEstate, workspace: string, knownHosts: string): Promise<PsshSetup> {
  const hostsFile = path.join(workspace, "pssh-hosts.txt");
  // Each host has its own user, so users go in the hosts file ("user@host:port") rather than -l.
  await writeFile(hostsFile, estate.hosts.map((h) => `${h.user}@${h.address}:${h.port}`).join("\n") + "\n");
  const sshArgs = [
    "-F /dev/null",
    `-i ${estate.clientKeyPath}`,
    `-o UserKnownHostsFile=${knownHosts} -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes`,
    "-o BatchMode=yes",
  ].join(" ");
  const nameByEndpoint = new Map(estate.hosts.map((h) => [`${h.address}:${h.port}`, h.name]));
  return { hostsFile, sshArgs, parallelism: estate.hosts.length, nameByEndpoint };
}

// --inline-stdout prints "[n] HH:MM:SS [SUCCESS] host:port" followed by that host's stdout.
const header = /^\[\d+\] \S+ \[(SUCCESS|FAILURE)\] (?:\S+@)?(\S+:\d+)\b.*$/;

export async function psshFanout(setup: PsshSetup, command: string): Promise<FanoutResult> {
  const args = ["-h", setup.hostsFile, "-p", String(setup.parallelism), "-t", "60", "-x", setup.sshArgs, "--inline-stdout", command];
  const r = await runTimed("parallel-ssh", args, process.env, 300_000);
  const answers = new Map<string, string>();
  let current: { name: string; ok: boolean; lines: string[] } | null = null;
  const flush = () => {
    if (current?.ok) answers.set(current.name, current.lines.join("\n"));
  };
  for (const line of r.stdout.split("\n")) {
    const m = header.exec(line);
    if (m) {
      flush();
      current = { name: setup.nameByEndpoint.get(m[2]!) ?? m[2]!, ok: m[1] === "SUCCESS", lines: [] };
    } else if (current) current.lines.push(line);
  }
  flush();
  if (r.code !== 0) {
    const failures = r.stdout.split("\n").filter((l) => header.test(l) && !l.includes("[SUCCESS]"));
    console.error(`  parallel-ssh exited ${r.code ?? r.signal}:\n${[...failures, r.stderr.trim()].filter(Boolean).join("\n")}`);
  }
  return { ms: r.ms, answers };
}
