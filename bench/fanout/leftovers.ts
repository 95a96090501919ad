import { readFileSync } from "node:fs";
import { listProcesses, type ProcessInfo } from "./processes";

// Anything still running that belongs to this benchmark: mentions its workspace or run dir (peer
// tools, ssh masters, listeners) or runs as one of its lab users (session processes).
export function benchLeftovers(paths: readonly string[], users: readonly string[]): ProcessInfo[] {
  const uids = uidsOf(users);
  return listProcesses().filter(
    (p) => p.pid !== process.pid && (paths.some((dir) => p.cmdline.includes(dir)) || uids.has(p.uid) || users.some((u) => p.cmdline.includes(`sshd: ${u}`))),
  );
}

function uidsOf(users: readonly string[]): Set<number> {
  const wanted = new Set(users);
  const uids = new Set<number>();
  for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
    const [name, , uid] = line.split(":");
    if (name && wanted.has(name) && uid) uids.add(Number(uid));
  }
  return uids;
}
