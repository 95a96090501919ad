// Integration tests against REAL sshd processes on loopback (127.0.0.201–203, ports 2201–2203).
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import path from "node:path";
import fc from "fast-check";
import ssh2 from "ssh2";

const { utils } = ssh2;
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeHostKey, labSshTarget, startHost, startLabHosts, stopHost, stopLabHosts, type LabEstate } from "../../lab/hosts/index";
import { repoRoot } from "../../lab/hosts/paths";
import { exec } from "./exec";
import { SshPool } from "./pool";
import { probeHostKey } from "./probe";
import type { SshTarget } from "./target";

const runDir = path.join(repoRoot, "lab", ".run", "test-ssh");
const specs = [
  ...[1, 2, 3].map((i) => ({ name: `t-ssh${i}`, address: `127.0.0.${200 + i}`, port: 2200 + i, env: { KEEL_LAB_HOST: `127.0.0.${200 + i}` } })),
  // Stock OpenSSH session limit, and password logins allowed.
  { name: "t-ssh4", address: "127.0.0.207", port: 2207, env: {}, maxSessions: 10, password: "keel lab pw" },
];

let estate: LabEstate;
let h1: SshTarget;
let h2: SshTarget;
let h3: SshTarget;
let h4: SshTarget;
let pool: SshPool;
// A directory every lab user may write, for pid files and canaries.
let scratch: string;

beforeAll(async () => {
  estate = await startLabHosts(specs, { runDir });
  h1 = await labSshTarget(estate, "t-ssh1");
  h2 = await labSshTarget(estate, "t-ssh2");
  h3 = await labSshTarget(estate, "t-ssh3");
  h4 = await labSshTarget(estate, "t-ssh4");
  pool = new SshPool({ maxChannelsPerConnection: 64 });
  scratch = mkdtempSync("/tmp/keel-ssh-test-");
  chmodSync(scratch, 0o777);
});

afterAll(async () => {
  pool?.closeAll();
  await stopLabHosts(runDir);
  rmSync(scratch, { recursive: true, force: true });
});

async function until(predicate: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

function pidsIn(file: string): number[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").split(/\s+/).filter(Boolean).map(Number);
}

// Starts a shell that records its own pid and a grandchild's, then blocks: the whole tree must die.
const pidRecordingSleeper = (pidFile: string) => ["sh", "-c", `echo $$ > ${pidFile}; sleep 300 & echo $! >> ${pidFile}; wait`];

describe("quoting through real sshd", () => {
  const special = fc.constantFrom("'", '"', "\\", "$", "$(", ")", "`", ";", "&", "&&", "|", "*", "?", "[", "]", "~", "!", "#", "\n", "\r", "\t", " ", "{", "}", "<", ">", "-", "--", "%", "%s", "=", "é", "日本", "🙂", "${IFS}", "$HOME", "\\'", "'\\''");
  const arg = fc
    .oneof(
      fc.string({ unit: special, maxLength: 12 }),
      fc.string({ unit: "binary", maxLength: 24 }),
      fc.string({ unit: "grapheme", maxLength: 12 }),
      fc.constant(""),
    )
    .map((s) => s.replaceAll("\0", ""))
    .filter((s) => Buffer.from(s).toString() === s);

  it("delivers thousands of generated arguments byte for byte", async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(arg, { minLength: 100, maxLength: 200 }), async (values) => {
        const result = await exec(h1, ["printf", "%s\\0", ...values], { timeoutMs: 10_000, pool });
        expect(result.ok ? result.stdout : result.error).toBe(values.map((v) => `${v}\0`).join(""));
        sent += values.length;
      }),
      { numRuns: 20 },
    );
    expect(sent).toBeGreaterThanOrEqual(2000);
  });

  it("never lets a value run as a command (canary files)", async () => {
    const control = path.join(scratch, "control");
    expect((await exec(h1, ["touch", control], { timeoutMs: 5_000, pool })).ok).toBe(true);
    expect(existsSync(control)).toBe(true); // the lab user CAN create files there

    const canary = path.join(scratch, "canary");
    const payloads = [
      `; touch ${canary}`,
      `'; touch ${canary}; '`,
      `"; touch ${canary}; "`,
      `$(touch ${canary})`,
      `\`touch ${canary}\``,
      `\ntouch ${canary}\n`,
      `| touch ${canary}`,
      `&& touch ${canary}`,
      `'$(touch ${canary})'`,
      `\\'; touch ${canary} #`,
    ];
    const result = await exec(h1, ["echo", ...payloads], { timeoutMs: 5_000, pool });
    expect(result.ok && result.stdout).toBe(payloads.join(" ") + "\n");
    for (const p of payloads) expect((await exec(h1, ["sh", "-c", 'printf "%s" "$1"', "sh", p], { timeoutMs: 5_000, pool })).ok).toBe(true);
    expect(existsSync(canary)).toBe(false);
  });

  it("refuses NUL bytes and over-long commands before sending anything", async () => {
    const nul = await exec(h1, ["echo", "a\0b"], { timeoutMs: 5_000, pool });
    expect(!nul.ok && nul.error.kind).toBe("invalid-command");
    const long = await exec(h1, ["echo", "x".repeat(200_000)], { timeoutMs: 5_000, pool });
    expect(!long.ok && long.error.kind).toBe("invalid-command");
  });
});

describe("exec results", () => {
  it("reports exit code, output, streaming and duration", async () => {
    const streamed: string[] = [];
    const result = await exec(h1, ["sh", "-c", "echo out; echo err >&2; echo \"$KEEL_LAB_HOST\""], { timeoutMs: 5_000, pool, onStdout: (t) => streamed.push(t) });
    expect(result).toMatchObject({ ok: true, exitCode: 0, stdout: "out\n127.0.0.201\n", stderr: "err\n" });
    expect(streamed.join("")).toBe("out\n127.0.0.201\n");
    expect(result.ok && result.durationMs).toBeGreaterThan(0);
  });

  it("names a missing command (exit 127)", async () => {
    const result = await exec(h1, ["no-such-command-keel"], { timeoutMs: 5_000, pool });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatchObject({ kind: "command-not-found", command: "no-such-command-keel" });
      expect(result.output.exitCode).toBe(127);
    }
  });

  it("names a non-zero exit and keeps its output; okExitCodes widens success", async () => {
    const failed = await exec(h1, ["sh", "-c", "echo partial; exit 3"], { timeoutMs: 5_000, pool });
    expect(failed).toMatchObject({ ok: false, error: { kind: "non-zero-exit", exitCode: 3 }, output: { stdout: "partial\n" } });
    const probe = await exec(h1, ["grep", "-q", "x", "/dev/null"], { timeoutMs: 5_000, pool, okExitCodes: [0, 1] });
    expect(probe).toMatchObject({ ok: true, exitCode: 1 });
  });

  it("feeds stdin to the command", async () => {
    const input = "line 1\nsecond 'line' $(x)\n日本\n";
    const result = await exec(h1, ["cat"], { timeoutMs: 5_000, pool, stdin: input });
    expect(result).toMatchObject({ ok: true, stdout: input });
  });

  it("bounds captured output but still streams all of it", async () => {
    let streamed = 0;
    const result = await exec(h1, ["head", "-c", "100000", "/dev/zero"], { timeoutMs: 5_000, pool, maxCaptureBytes: 1000, onStdout: (t) => (streamed += t.length) });
    expect(result).toMatchObject({ ok: true, stdoutTruncated: true });
    expect(result.ok && result.stdout.length).toBe(1000);
    expect(streamed).toBe(100000);
  });
});

describe("killing remote commands", () => {
  it("a timeout kills the remote process tree", async () => {
    const pidFile = path.join(scratch, "timeout.pids");
    const result = await exec(h2, pidRecordingSleeper(pidFile), { timeoutMs: 700, pool });
    expect(!result.ok && result.error.kind).toBe("command-timeout");
    const pids = pidsIn(pidFile);
    expect(pids).toHaveLength(2);
    await until(() => !pids.some(processAlive), "the timed-out processes are gone");
  });

  it("an AbortSignal cancels and kills the remote process tree", async () => {
    const pidFile = path.join(scratch, "cancel.pids");
    const controller = new AbortController();
    const running = exec(h2, pidRecordingSleeper(pidFile), { timeoutMs: 60_000, pool, signal: controller.signal });
    await until(() => pidsIn(pidFile).length === 2, "the command started");
    controller.abort();
    const result = await running;
    expect(!result.ok && result.error.kind).toBe("cancelled");
    const pids = pidsIn(pidFile);
    await until(() => !pids.some(processAlive), "the cancelled processes are gone");
  });

  it("a dropped connection kills the remote command (the wrapper's stdin lifeline, no signal request)", async () => {
    const own = new SshPool();
    const pidFile = path.join(scratch, "drop.pids");
    const running = exec(h2, pidRecordingSleeper(pidFile), { timeoutMs: 60_000, pool: own });
    await until(() => pidsIn(pidFile).length === 2, "the command started");
    own.closeAll();
    const result = await running;
    expect(!result.ok && result.error.kind).toBe("connection-lost");
    const pids = pidsIn(pidFile);
    await until(() => !pids.some(processAlive), "the orphaned processes are gone");
  });
});

describe("connections", () => {
  it("runs 50 commands in parallel as channels of one connection", async () => {
    const own = new SshPool({ maxChannelsPerConnection: 64 });
    await exec(h2, ["true"], { timeoutMs: 5_000, pool: own });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => exec(h2, ["echo", String(i)], { timeoutMs: 10_000, pool: own })));
    results.forEach((r, i) => expect(r).toMatchObject({ ok: true, stdout: `${i}\n` }));
    expect(own.connectionCount()).toBe(1);
    own.closeAll();
  });

  it("queues beyond the per-connection channel limit instead of failing", async () => {
    const own = new SshPool({ maxChannelsPerConnection: 4 });
    const results = await Promise.all(Array.from({ length: 20 }, () => exec(h2, ["true"], { timeoutMs: 10_000, pool: own })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(own.connectionCount()).toBe(1);
    own.closeAll();
  });

  it("respects a stock MaxSessions 10 with the default pool, and reports channel-refused when over it", async () => {
    const stock = new SshPool();
    const queued = await Promise.all(Array.from({ length: 30 }, () => exec(h4, ["sleep", "0.2"], { timeoutMs: 10_000, pool: stock })));
    expect(queued.every((r) => r.ok)).toBe(true);
    expect(stock.connectionCount()).toBe(1);
    stock.closeAll();

    const greedy = new SshPool({ maxChannelsPerConnection: 20 });
    // Ten sessions held longer than the refusal back-off lasts: the other ten are refused, by name,
    // and the shared connection survives for the ten that run.
    const over = await Promise.all(Array.from({ length: 20 }, () => exec(h4, ["sleep", "1.5"], { timeoutMs: 10_000, pool: greedy })));
    const kinds = over.map((r) => (r.ok ? "ok" : r.error.kind)).sort();
    expect(kinds).toEqual([...Array(20).keys()].map((i) => (i < 10 ? "channel-refused" : "ok")));
    greedy.closeAll();
  });

  it("logs in with a password credential and names a wrong one", async () => {
    const withPassword: SshTarget = { ...h4, credential: { type: "password", password: "keel lab pw" } };
    expect(await exec(withPassword, ["id", "-un"], { timeoutMs: 5_000, pool })).toMatchObject({ ok: true, stdout: "keel-t-ssh4\n" });
    const wrong = await exec({ ...withPassword, credential: { type: "password", password: "nope" } }, ["true"], { timeoutMs: 5_000, pool });
    expect(wrong).toMatchObject({ ok: false, error: { kind: "auth-failed" } });
  });

  it("refuses a host whose key nobody trusted, and probeHostKey shows the key to trust", async () => {
    const untrusted = await exec({ ...h1, hostKeyFingerprint: null }, ["true"], { timeoutMs: 5_000, pool });
    expect(untrusted).toMatchObject({ ok: false, error: { kind: "host-key-unknown", got: h1.hostKeyFingerprint } });
    const probed = await probeHostKey(h1.address, h1.port);
    expect(probed).toMatchObject({ ok: true, hostKey: { keyType: "ssh-ed25519", fingerprint: h1.hostKeyFingerprint } });
  });

  it("refuses a host presenting a different key than the pinned one", async () => {
    const result = await exec({ ...h1, hostKeyFingerprint: h2.hostKeyFingerprint }, ["true"], { timeoutMs: 5_000, pool });
    expect(result).toMatchObject({ ok: false, error: { kind: "host-key-mismatch", expected: h2.hostKeyFingerprint, got: h1.hostKeyFingerprint } });
  });

  it("names an authentication failure", async () => {
    const stranger = utils.generateKeyPairSync("ed25519");
    const result = await exec({ ...h1, credential: { type: "private-key", privateKey: stranger.private } }, ["true"], { timeoutMs: 5_000, pool });
    expect(result).toMatchObject({ ok: false, error: { kind: "auth-failed", user: h1.user } });
  });

  it("names an unreachable host", async () => {
    const result = await exec({ ...h1, address: "127.0.0.209", port: 2209 }, ["true"], { timeoutMs: 5_000, pool });
    expect(result).toMatchObject({ ok: false, error: { kind: "unreachable", cause: "refused" } });
    const probe = await probeHostKey("127.0.0.209", 2209);
    expect(probe).toMatchObject({ ok: false, error: { kind: "unreachable" } });
  });

  it("times out a host that accepts TCP but never speaks SSH, and cancels a stuck connect", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(2208, "127.0.0.208", resolve));
    try {
      const target = { ...h1, address: "127.0.0.208", port: 2208 };
      const timedOut = await exec(target, ["true"], { timeoutMs: 5_000, pool: new SshPool({ connectTimeoutMs: 300 }) });
      expect(timedOut).toMatchObject({ ok: false, error: { kind: "unreachable", cause: "timeout" } });

      const controller = new AbortController();
      const stuck = new SshPool({ connectTimeoutMs: 30_000 });
      const started = Date.now();
      const pending = exec(target, ["true"], { timeoutMs: 5_000, pool: stuck, signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      expect(await pending).toMatchObject({ ok: false, error: { kind: "cancelled" } });
      expect(Date.now() - started).toBeLessThan(2_000);
      stuck.closeAll();
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("reconnects after the host's sshd went down and came back", async () => {
    const own = new SshPool();
    expect((await exec(h3, ["true"], { timeoutMs: 5_000, pool: own })).ok).toBe(true);
    await stopHost("t-ssh3", { runDir });
    const down = await exec(h3, ["true"], { timeoutMs: 5_000, pool: own });
    expect(!down.ok && down.error.kind).toBe("unreachable");
    await startHost("t-ssh3", { runDir });
    expect((await exec(h3, ["true"], { timeoutMs: 5_000, pool: own })).ok).toBe(true);
    // Restart underneath a live pooled connection: the next command must still succeed.
    await stopHost("t-ssh3", { runDir });
    await startHost("t-ssh3", { runDir });
    expect((await exec(h3, ["true"], { timeoutMs: 5_000, pool: own })).ok).toBe(true);
    own.closeAll();
  });

  it("refuses a host whose key changed (reinstalled host) until it is re-trusted", async () => {
    const own = new SshPool();
    expect((await exec(h3, ["true"], { timeoutMs: 5_000, pool: own })).ok).toBe(true);
    const changed = await changeHostKey("t-ssh3", { runDir });
    expect(changed.hostKeyFingerprint).not.toBe(h3.hostKeyFingerprint);
    const refused = await exec(h3, ["true"], { timeoutMs: 5_000, pool: own });
    expect(refused).toMatchObject({ ok: false, error: { kind: "host-key-mismatch", expected: h3.hostKeyFingerprint, got: changed.hostKeyFingerprint } });
    const retrusted = await exec({ ...h3, hostKeyFingerprint: changed.hostKeyFingerprint }, ["true"], { timeoutMs: 5_000, pool: own });
    expect(retrusted.ok).toBe(true);
    own.closeAll();
  });
});
