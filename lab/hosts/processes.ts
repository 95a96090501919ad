import { readFileSync, readdirSync } from "node:fs";

// True only if `pid` is alive and is the sshd started with this config (a recycled PID must never
// be mistaken for our sshd, let alone killed).
export function isOurSshd(pid: number | null, configPath: string): boolean {
  if (pid === null) return false;
  try {
    // sshd rewrites its title ("sshd: /usr/sbin/sshd -D -f CONFIG ... [listener]"), so match text.
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && cmdline.includes("sshd") && cmdline.includes(` -f ${configPath} `);
  } catch {
    return false;
  }
}

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[1]);
  } catch {
    return null;
  }
}

export function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const ppid = parentOf(pid);
    if (ppid === null) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const next = children.get(queue.shift()!) ?? [];
    out.push(...next);
    queue.push(...next);
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

// A host going down takes its sessions with it: the listener and every per-connection sshd and
// user process under it. (sshd's session children setsid(), so a process-group kill would miss them.)
export async function killSshdTree(pid: number): Promise<void> {
  const tree = [pid, ...descendantsOf(pid)];
  for (const p of tree) {
    try {
      process.kill(p, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + 5_000;
  while (tree.some(alive)) {
    if (Date.now() > deadline) throw new Error(`processes ${tree.filter(alive).join(", ")} survived SIGKILL`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
