// A step's output as it arrives: buffered briefly, then appended to run_output with a NOTIFY in the
// same statement, so a run page following the run (SSE) sees each line within tens of milliseconds
// and a page opened later replays everything from the table.
import { db } from "@/lib/db";

export type OutputStream = "stdout" | "stderr" | "progress" | "event";

const FLUSH_AFTER_MS = 25;
const FLUSH_AT_CHARS = 32 * 1024;

export type OutputRow = { runId: string; stepIndex: number; attempt: number; stream: OutputStream; text: string };

export class OutputSink {
  private pending: { stream: OutputStream; text: string }[] = [];
  private size = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly runId: string,
    private readonly stepIndex: number,
    private readonly attempt: number,
  ) {}

  write(stream: OutputStream, text: string): void {
    if (text.length === 0) return;
    this.pending.push({ stream, text });
    this.size += text.length;
    if (this.size >= FLUSH_AT_CHARS) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_AFTER_MS);
  }

  /**
   * Stops streaming and hands over what was not stored yet, once earlier flushes are done: the step's
   * last output is then stored by the transaction that records its result (one commit, not two).
   */
  async close(): Promise<OutputRow[]> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flushing;
    const rest = this.pending.map((p) => ({ runId: this.runId, stepIndex: this.stepIndex, attempt: this.attempt, stream: p.stream, text: p.text }));
    this.pending = [];
    this.size = 0;
    return rest;
  }

  /** Resolves once everything written so far is stored. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    this.size = 0;
    if (batch.length > 0) this.flushing = this.flushing.then(() => this.store(batch));
    return this.flushing;
  }

  private async store(batch: { stream: OutputStream; text: string }[]): Promise<void> {
    // Output is a convenience copy (the step row keeps the result, the audit row its digest): a
    // failed write must not fail the step.
    await db.$executeRaw`
      WITH ins AS (
        INSERT INTO run_output ("runId", "stepIndex", "attempt", "stream", "text")
        SELECT ${this.runId}::uuid, ${this.stepIndex}, ${this.attempt}, s, t
        FROM unnest(${batch.map((b) => b.stream)}::text[], ${batch.map((b) => b.text)}::text[]) AS u(s, t)
        RETURNING 1
      )
      SELECT pg_notify('keel_run', ${this.runId}::text) FROM (SELECT count(*) FROM ins) AS inserted`.catch(() => undefined);
  }
}
