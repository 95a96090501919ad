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

const maxChannelRefusals = 6;

// Kept on globalThis so a dev server's module reloads do not leak one pool (and its connections)
// per reload.
const poolSlot = Symbol.for("keel.ssh.defaultPool");
export function defaultPool(): SshPool {
  const holder = globalThis as { [poolSlot]?: SshPool };
  holder[poolSlot] ??= new SshPool();
  return holder[poolSlot];
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
  // A channel-open failure means nothing ran remotely, so retrying is safe: once on a fresh
  // connection if the old one died, and a few times with back-off if the server refused the
  // channel (sshd frees a session slot a round trip after the client saw the channel close, so a
  // pool running at exactly MaxSessions hits this now and then).
  let reconnects = 0;
  let refusals = 0;
  for (;;) {
    const leased = await pool.lease(target, options.signal);
    if (!leased.ok) return fail(leased.error);
    const { lease } = leased;
    if (options.signal?.aborted) {
      lease.release();
      return fail(sshErrors.cancelled(host));
    }
    const opened = await openExecChannel(lease.client, command, { host, stdin, options, started, argv0: argv[0] ?? "" });
    if (!opened.ok) {
      const dead = !lease.connectionAlive() || /not connected|no response/i.test(opened.reason);
      // A live connection refusing one more channel is shared by other commands: keep it.
      if (!dead) {
        lease.release();
        if (refusals++ < maxChannelRefusals) {
          await new Promise((r) => setTimeout(r, Math.min(10 * 2 ** refusals, 200)));
          continue;
        }
        return fail(sshErrors.channelRefused(host, opened.reason));
      }
      lease.markBroken();
      lease.release();
      if (reconnects++ === 0) continue;
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
      stdout.flush();
      stderr.flush();
      resolve(result(output()));
    };

    const kill = (error: SshError) => {
      if (finished) return;
      // Closing the channel is what kills: it trips the remote watchdog. The signal request is only
      // a courtesy; OpenSSH 9.2 here left a pty-less command running after it (measured).
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
    // Aborted while the channel was opening: the listener above will never fire.
    if (options.signal?.aborted) queueMicrotask(onAbort);

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

  // Hands a trailing incomplete UTF-8 sequence to the callback rather than dropping it.
  flush(): void {
    const rest = this.decoder.end();
    if (rest && this.onText) this.onText(rest);
  }

  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

function emptyOutput(): ExecOutput {
  return { exitCode: null, signal: null, stdout: "", stderr: "", stdoutTruncated: false, stderrTruncated: false, durationMs: 0 };
}
