// Undo steps run newest first, once, whether the run ends normally, throws or is interrupted.
export class Cleanup {
  private readonly steps: Array<{ label: string; run: () => Promise<void> | void }> = [];
  private done: Promise<void> | null = null;

  add(label: string, run: () => Promise<void> | void): void {
    this.steps.push({ label, run });
  }

  run(): Promise<void> {
    this.done ??= this.runSteps();
    return this.done;
  }

  private async runSteps(): Promise<void> {
    for (const step of [...this.steps].reverse()) {
      try {
        await step.run();
      } catch (err) {
        console.error(`cleanup: ${step.label} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  // Handlers stay installed: Ctrl-C reaches this process twice (from the terminal and relayed by
  // the tsx/npm parents), and a second signal with no handler would kill it halfway through.
  exitOnSignals(): void {
    const codes: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
    for (const [signal, code] of Object.entries(codes) as Array<[NodeJS.Signals, number]>) {
      process.on(signal, () => {
        if (this.done) return;
        console.error(`\n${signal}: cleaning up`);
        void this.run().finally(() => process.exit(code));
      });
    }
  }
}
