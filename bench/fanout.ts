// npm run bench:fanout — one status command on every lab host, side by side: Keel's SSH pool cold
// and warm, `ansible -m shell` (Debian ansible-core) and `parallel-ssh` (Debian pssh). Every round of
// every tool must bring back each host's own answer, or the run fails. Everything it starts (lab
// sshd processes, peer tools, ansible's ControlPersist masters, temp files) is removed on the way out,
// also after a failure or Ctrl-C.
//   BENCH_HOSTS (default 24, max 30)  BENCH_ROUNDS (default 10)
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chmod, mkdtemp, rm, rmdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { labSshTarget, startLabHosts, stopLabHosts, type LabEstate } from "@/lab/hosts";
import { SshPool } from "@/lib/ssh";
import { ansibleFanout, prepareAnsible, stopAnsibleMuxes, type AnsibleSetup } from "./fanout/ansible";
import { Cleanup } from "./fanout/cleanup";
import { closeCpuWindow, coreCount, openCpuWindow } from "./fanout/cpu";
import { benchHostSpecs, expectedAnswers, hostEnvVar, writeKnownHosts } from "./fanout/estate";
import { keelColdFanout, keelFanout, singleHostRoundTrips, type FanoutResult, type KeelHost } from "./fanout/keel";
import { benchLeftovers } from "./fanout/leftovers";
import { killRunningChildren } from "./fanout/processes";
import { preparePssh, psshFanout, type PsshSetup } from "./fanout/pssh";
import { printGoals, printTable, type Goal, type ToolSamples } from "./fanout/report";
import { formatMs, median } from "./fanout/stats";
import { verifyAnswers } from "./fanout/verify";

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const runDir = path.join(repoRoot, "lab", ".run", "bench-fanout");
const hostCount = Number(process.env.BENCH_HOSTS ?? 24);
const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
// Prints the host's own address (set per host by the lab's sshd SetEnv): as cheap as `uname -n`,
// but every answer proves which host it came from.
const statusArgv = ["printenv", hostEnvVar] as const;
const statusCommand = statusArgv.join(" ");
const pauseBetweenToolsMs = 150;

type Tool = { name: string; note: string; run: () => Promise<FanoutResult> };

async function main(): Promise<number> {
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error("BENCH_ROUNDS must be a positive integer");
  const specs = benchHostSpecs(hostCount);
  execFileSync("bash", [path.join(repoRoot, "bench", "ensure-peers.sh")], { stdio: "inherit" });

  const cleanup = new Cleanup();
  cleanup.exitOnSignals();
  const leftoverUsers = specs.map((s) => `keel-${s.name}`);
  let workspace = "";
  // Added first, so it runs last, after every other step, however the run ends.
  cleanup.add("check for leftovers", () => reportLeftovers(workspace ? [workspace, runDir] : [runDir], leftoverUsers));
  try {
    const hadRootSshDir = existsSync(path.join(os.homedir(), ".ssh"));
    cleanup.add("remove an empty ~/.ssh the OpenSSH client created", () => removeEmptySshDir(hadRootSshDir));
    workspace = await mkdtemp(path.join(os.tmpdir(), "keel-bench-fanout-"));
    // Lab users must reach their remote temp dirs inside it.
    await chmod(workspace, 0o711);
    cleanup.add("remove the workspace", () => rm(workspace, { recursive: true, force: true }));
    cleanup.add("stop the lab hosts", async () => {
      await stopLabHosts(runDir);
      await rm(runDir, { recursive: true, force: true });
    });

    console.log(`bench:fanout — ${specs.length} lab hosts (${specs[0]!.address}–${specs.at(-1)!.address}:${specs[0]!.port}), ${rounds} rounds, command \`${statusCommand}\``);
    console.log(`load average at start: ${loadAverage()}`);
    const t0 = performance.now();
    const estate = await startLabHosts(specs, { runDir, readyTimeoutMs: 30_000 });
    console.log(`lab hosts ready in ${formatMs(performance.now() - t0)}`);

    const knownHosts = path.join(workspace, "known_hosts");
    await writeKnownHosts(estate, knownHosts);
    const ansible = await prepareAnsible(estate, workspace, knownHosts);
    cleanup.add("stop ansible's ControlPersist masters", async () => {
      const pids = await stopAnsibleMuxes(ansible.controlPathDir);
      if (pids.length > 0) console.log(`stopped ${pids.length} ansible ControlPersist master(s): ${pids.join(" ")}`);
    });
    const pssh = await preparePssh(estate, workspace, knownHosts);
    const keelHosts = await keelTargets(estate);
    const warmPool = new SshPool({ maxChannelsPerConnection: 64 });
    cleanup.add("close Keel's warm pool", () => warmPool.closeAll());
    // Runs first: a peer tool still running could open new ControlPersist masters behind our back.
    cleanup.add("kill running peer tools", killRunningChildren);

    const expected = expectedAnswers(estate);
    const tools = toolList(keelHosts, warmPool, ansible, pssh);
    const check = async (tool: Tool): Promise<number> => {
      const result = await tool.run();
      verifyAnswers(tool.name, expected, result.answers);
      return result.ms;
    };

    // Untimed: opens the warm pool and ansible's masters, loads everything once.
    for (const tool of tools) await check(tool);
    const single = await singleHostRoundTrips(keelHosts, statusArgv, warmPool, rounds);

    const samples = new Map(tools.map((t) => [t.name, [] as number[]]));
    for (let round = 0; round < rounds; round++) {
      const line: string[] = [];
      // Rotated so no tool always runs right after the same neighbour.
      for (const tool of rotate(tools, round)) {
        const ms = await check(tool);
        samples.get(tool.name)!.push(ms);
        line.push(`${tool.name} ${formatMs(ms)}`);
        await sleep(pauseBetweenToolsMs);
      }
      console.log(`round ${String(round + 1).padStart(2)}: ${line.join(", ")}`);
    }
    const cpu = await warmCpuCost(estate, () => check(tools[0]!));
    console.log(`load average at end: ${loadAverage()}`);

    report(tools, samples, single, cpu, specs.length);
    return 0;
  } finally {
    await cleanup.run();
  }
}

function reportLeftovers(paths: readonly string[], users: readonly string[]): void {
  const left = benchLeftovers(paths, users);
  const files = paths.filter((p) => existsSync(p));
  if (left.length > 0 || files.length > 0) {
    console.error(`LEFTOVERS:\n${[...left.map((p) => `  process ${p.pid} ${p.cmdline}`), ...files.map((f) => `  path ${f}`)].join("\n")}`);
    process.exitCode = 1;
  } else {
    console.log("cleanup: no benchmark processes left; workspace and run dir removed");
  }
}

function toolList(keelHosts: KeelHost[], warmPool: SshPool, ansible: AnsibleSetup, pssh: PsshSetup): Tool[] {
  return [
    { name: "keel warm", note: "same pool, connections already open", run: () => keelFanout(keelHosts, statusArgv, warmPool) },
    { name: "keel cold", note: "new pool: connect + auth + command", run: () => keelColdFanout(keelHosts, statusArgv) },
    { name: "ansible", note: `ansible all -m shell, forks ${ansible.forks}, pipelining, ControlPersist`, run: () => ansibleFanout(ansible, statusCommand) },
    { name: "parallel-ssh", note: `parallel-ssh -p ${pssh.parallelism} (new ssh per host)`, run: () => psshFanout(pssh, statusCommand) },
  ];
}

type WarmCpu = { clientMs: number; labMs: number; wallMs: number };

// CPU one warm fan-out costs, Keel's process and the lab hosts apart. On loopback a round trip is
// almost all CPU, so (client + lab) / cores is a floor no scheduler can beat on this machine.
async function warmCpuCost(estate: LabEstate, warmFanout: () => Promise<number>): Promise<WarmCpu> {
  const window = openCpuWindow(estate);
  let wallMs = 0;
  for (let i = 0; i < rounds; i++) wallMs += await warmFanout();
  const d = closeCpuWindow(estate, window);
  return { clientMs: d.clientMs / rounds, labMs: d.labMs / rounds, wallMs: wallMs / rounds };
}

function report(tools: readonly Tool[], samples: Map<string, number[]>, single: Awaited<ReturnType<typeof singleHostRoundTrips>>, cpu: WarmCpu, hosts: number): void {
  const rows: ToolSamples[] = tools.map((t) => ({ tool: t.name, note: t.note, samples: samples.get(t.name)! }));
  const slowest = single.reduce((a, b) => (b.medianMs > a.medianMs ? b : a));
  const warm = median(samples.get("keel warm")!);
  const ratio = (tool: string) => median(samples.get(tool)!) / warm;
  const cores = coreCount();
  const total = cpu.clientMs + cpu.labMs;
  const cpuFloorMs = total / cores;
  const goals: Goal[] = [
    { label: "ansible / keel warm", ratio: ratio("ansible"), target: "≥ 10×", met: ratio("ansible") >= 10 },
    { label: "parallel-ssh / keel warm", ratio: ratio("parallel-ssh"), target: "≥ 4×", met: ratio("parallel-ssh") >= 4 },
    { label: "keel warm / slowest single host", ratio: warm / slowest.medianMs, target: "≤ 1.5×", met: warm / slowest.medianMs <= 1.5 },
    { label: `keel warm / CPU floor (${cores} cores)`, ratio: warm / cpuFloorMs, target: "-", met: null },
  ];
  console.log("");
  printTable(rows, hosts);
  console.log("");
  console.log(
    `single-host round trip (warm connection, one host at a time, median of ${rounds} each): ` +
      `slowest ${formatMs(slowest.medianMs)} (${slowest.name}), median over hosts ${formatMs(median(single.map((s) => s.medianMs)))}, fastest ${formatMs(Math.min(...single.map((s) => s.medianMs)))}`,
  );
  console.log(
    `CPU per warm fan-out (${rounds} extra rounds, mean): Keel process ${formatMs(cpu.clientMs)} + lab sshd/shells ${formatMs(cpu.labMs)} = ${formatMs(total)} ` +
      `(${formatMs(total / hosts)} per host); on ${cores} cores that is a floor of ${formatMs(cpuFloorMs)} for the fan-out (those rounds took ${formatMs(cpu.wallMs)})`,
  );
  console.log("");
  printGoals(goals);
  console.log("(ratios use medians; p95 is nearest-rank, so with few rounds it is the slowest round)");
}

async function keelTargets(estate: LabEstate): Promise<KeelHost[]> {
  return Promise.all(estate.hosts.map(async (h) => ({ name: h.name, target: await labSshTarget(estate, h.name) })));
}

// ssh(1) creates ~/.ssh on start even when it writes nothing there.
async function removeEmptySshDir(existedBefore: boolean): Promise<void> {
  const dir = path.join(os.homedir(), ".ssh");
  if (!existedBefore && existsSync(dir) && readdirSync(dir).length === 0) await rmdir(dir);
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

main().then(
  (code) => process.exit(process.exitCode ?? code),
  (err: unknown) => {
    console.error(`bench:fanout FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
