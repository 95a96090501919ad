import { readFileSync } from "node:fs";
import os from "node:os";
import { descendantsOf } from "@/lab/hosts/processes";
import type { LabEstate } from "@/lab/hosts";

const ticksPerSecond = 100;

export type CpuSnapshot = { clientMs: number; labMs: number };

// CPU spent so far by this process (Keel's side) and by the lab hosts: every sshd listener and
// everything under it. Finished commands count through their parents' cutime/cstime, so the
// per-connection sshd processes that reaped them carry their cost.
// Walking /proc costs this process CPU too, so Keel's own clock is read after the walk when opening
// a window and before it when closing one.
export function openCpuWindow(estate: LabEstate): CpuSnapshot {
  const labMs = labCpuMs(estate);
  return { clientMs: ownCpuMs(), labMs };
}

export function closeCpuWindow(estate: LabEstate, opened: CpuSnapshot): CpuSnapshot {
  const clientMs = ownCpuMs();
  return { clientMs: clientMs - opened.clientMs, labMs: labCpuMs(estate) - opened.labMs };
}

function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function labCpuMs(estate: LabEstate): number {
  let ticks = 0;
  for (const host of estate.hosts) {
    if (host.pid === null) continue;
    for (const pid of [host.pid, ...descendantsOf(host.pid)]) ticks += cpuTicksOf(pid);
  }
  return (ticks * 1000) / ticksPerSecond;
}

export function coreCount(): number {
  return os.availableParallelism();
}

function cpuTicksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name: utime stime cutime cstime are fields 14–17 (1-based).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
  } catch {
    return 0;
  }
}
