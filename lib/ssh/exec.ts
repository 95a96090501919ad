import { StringDecoder } from "node:string_decoder";
import type { Client, ClientChannel } from "ssh2";
import { sshErrors, type SshError } from "./errors";
import { SshPool } from "./pool";
import { UnsafeArgumentError } from "./quote";
import { maxCommandBytes, wrappedCommand } from "./remote-wrapper";
import { hostLabel, type SshTarget } from "./target";

export type ExecOptions = {
  timeoutMs: number;
  signal?: AbortSignal;
  onStdout?: (text: string) => void;
  onStderr?: (text: string) => void;
  stdin?: string | Buffer;
  // Exit codes that count as success; some probes (grep, test) use 1 as a normal answer.
  okExitCodes?: readonly number[];
  // Per stream; the rest still streams to the callbacks but is not kept.
  maxCaptureBytes?: number;
  pool?: SshPool;
};

export type ExecOutput = {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  durationMs: number;
};

export type ExecResult = ({ ok: true } & ExecOutput) | { ok: false; error: SshError; output: ExecOutput };

const defaultMaxCaptureBytes = 1024 * 1024;
// After exit-status, how long to wait for the rest of the output before closing the channel
// (a daemon started by the command may hold stdout open forever).
const drainAfterExitMs = 1000;

let sharedPool: SshPool | null = null;
export function defaultPool(): SshPool {
  sharedPool ??= new SshPool();
  return sharedPool;
}

export async function exec(target: SshTarget, argv: readonly string[], options: ExecOptions): Promise<ExecResult> {
  const started = performance.now();
  const host = hostLabel(target);
  const fail = (error: SshError, output?: Partial<ExecOutput>): ExecResult => ({
    ok: false,
    error,
    output: { ...emptyOutput(), durationMs: performance.now() - started, ...output },
  });

  if (argv.length === 0) return fail(sshErrors.invalidCommand(host, "argv is empty"));
  const stdin = options.stdin === undefined ? Buffer.alloc(0) : Buffer.from(options.stdin);
  let command: string;
  try {
    command = wrappedCommand(argv, stdin.length);
  } catch (err) {
    if (err instanceof UnsafeArgumentError) return fail(sshErrors.invalidCommand(host, err.message));
    throw err;
  }
  if (Buffer.byteLength(command) > maxCommandBytes) {
    return fail(sshErrors.invalidCommand(host, `the quoted command is ${Buffer.byteLength(command)} bytes, over the ${maxCommandBytes}-byte limit of one exec argument`));
  }
  if (options.signal?.aborted) return fail(sshErrors.cancelled(host));

  const pool = options.pool ?? defaultPool();
  // A channel-open failure means nothing ran remotely, so one retry on a fresh connection is safe.
  for (let attempt = 0; ; attempt++) {
    const leased = await pool.lease(target, options.signal);
    if (!leased.ok) return fail(leased.error);
    const { lease } = leased;
    if (options.signal?.aborted) {
      lease.release();
      return fail(sshErrors.cancelled(host));
    }
    const opened = await openExecChannel(lease.client, command, { host, stdin, options, started, argv0: argv[0] ?? "" });
    if (!opened.ok) {
      lease.markBroken();
      lease.release();
      if (attempt === 0) continue;
      return fail(sshErrors.connectionLost(host, opened.reason));
    }
    try {
      return await opened.result;
    } finally {
      lease.release();
    }
  }
}

// Listeners must be attached inside ssh2's callback: one socket read can carry the open
// confirmation, the output, exit-status and close together, and an 'exit' emitted before anyone
// listens is lost for good.
function openExecChannel(client: Client, command: string, ctx: RunContext): Promise<{ ok: true; result: Promise<ExecResult> } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    try {
      client.exec(command, (err, channel) => resolve(err ? { ok: false, reason: err.message } : { ok: true, result: runOnChannel(channel, ctx) }));
    } catch (err) {
      resolve({ ok: false, reason: (err as Error).message });
    }
  });
}

type RunContext = { host: string; stdin: Buffer; options: ExecOptions; started: number; argv0: string };

function runOnChannel(channel: ClientChannel, ctx: RunContext): Promise<ExecResult> {
  const { options, host } = ctx;
  const limit = options.maxCaptureBytes ?? defaultMaxCaptureBytes;
  const stdout = new BoundedCapture(limit, options.onStdout);
  const stderr = new BoundedCapture(limit, options.onStderr);

  return new Promise((resolve) => {
    let exitCode: number | null = null;
    let exitSignal: string | null = null;
    let exited = false;
    let finished = false;
    let drainTimer: NodeJS.Timeout | undefined;

    const output = (): ExecOutput => ({
      exitCode,
      signal: exitSignal,
      stdout: stdout.text(),
      stderr: stderr.text(),
      stdoutTruncated: stdout.truncated,
      stderrTruncated: stderr.truncated,
      durationMs: performance.now() - ctx.started,
    });

    const finish = (result: (out: ExecOutput) => ExecResult) => {
      if (finished) return;
      finished = true;
      clearTimeout(timeoutTimer);
      clearTimeout(drainTimer);
      options.signal?.removeEventListener("abort", onAbort);
      resolve(result(output()));
    };

    const kill = (error: SshError) => {
      if (finished) return;
      // Closing the channel trips the remote watchdog; the signal request is the fast path where
      // sshd supports it (OpenSSH ≥ 7.9 kills the session's process group).
      try {
        channel.signal("KILL");
      } catch {
        /* the channel may already be gone */
      }
      channel.close();
      finish((out) => ({ ok: false, error, output: out }));
    };

    const onAbort = () => kill(sshErrors.cancelled(host));
    const timeoutTimer = setTimeout(() => kill(sshErrors.commandTimeout(host, options.timeoutMs)), options.timeoutMs);
    options.signal?.addEventListener("abort", onAbort, { once: true });

    channel.on("data", (chunk: Buffer) => stdout.push(chunk));
    channel.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    channel.on("exit", (code: number | null, signalName?: string) => {
      exited = true;
      exitCode = typeof code === "number" ? code : null;
      exitSignal = signalName ?? null;
      drainTimer = setTimeout(() => {
        channel.close();
        finish(judge);
      }, drainAfterExitMs);
    });
    channel.on("close", () => {
      if (!exited) {
        finish((out) => ({ ok: false, error: sshErrors.connectionLost(host, "the channel closed without an exit status"), output: out }));
        return;
      }
      finish(judge);
    });

    const judge = (out: ExecOutput): ExecResult => {
      const okCodes = options.okExitCodes ?? [0];
      if (out.exitCode !== null && okCodes.includes(out.exitCode)) return { ok: true, ...out };
      if (out.exitCode === 127) return { ok: false, error: sshErrors.commandNotFound(host, ctx.argv0), output: out };
      return { ok: false, error: sshErrors.nonZeroExit(host, out.exitCode, out.signal), output: out };
    };

    // stdin stays open on purpose: it is the remote watchdog's lifeline (see remote-wrapper.ts).
    if (ctx.stdin.length > 0) channel.write(ctx.stdin);
  });
}

class BoundedCapture {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  truncated = false;
  private readonly decoder = new StringDecoder("utf8");

  constructor(
    private readonly limit: number,
    private readonly onText?: (text: string) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.onText) {
      const text = this.decoder.write(chunk);
      if (text) this.onText(text);
    }
    const room = this.limit - this.kept;
    if (chunk.length > room) this.truncated = true;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(kept);
    this.kept += kept.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

function emptyOutput(): ExecOutput {
  return { exitCode: null, signal: null, stdout: "", stderr: "", stdoutTruncated: false, stderrTruncated: false, durationMs: 0 };
}
