// One LISTEN connection per console process, shared by every run page that follows a run (SSE):
// the worker's NOTIFY keel_run '<runId>' wakes the pages of that run.
import { EventEmitter } from "node:events";

import pg from "pg";

import { logger } from "@/lib/log";

const slot = Symbol.for("keel.runs.listener");
type Holder = { [slot]?: RunListener };

class RunListener extends EventEmitter {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;

  constructor() {
    super();
    this.setMaxListeners(0);
  }

  ensure(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    client.on("notification", (message) => {
      if (message.channel === "keel_run" && message.payload) this.emit(message.payload);
    });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.client = null;
      logger.warn({ err: error }, "run listener lost its connection; pages reconnect");
      // Followers re-read from their cursor when they reconnect, so nothing is missed.
      this.emit("lost");
    };
    client.on("error", lost);
    client.on("end", () => lost());
    await client.connect();
    await client.query("LISTEN keel_run");
    this.client = client;
  }
}

export function runListener(): RunListener {
  const holder = globalThis as Holder;
  holder[slot] ??= new RunListener();
  return holder[slot];
}
