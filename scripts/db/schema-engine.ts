import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import * as engineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import { MigrationAdapterFactory } from "./migration-adapter";

export type { SchemaEngine } from "@prisma/schema-engine-wasm";

/** The wasm engine stores its panic message here (see schema_engine_bg.js). */
class WasmPanicRegistry {
  message = "";
  set_message(value: string): void {
    this.message = `RuntimeError: ${value}`;
  }
}

declare global {
  var PRISMA_WASM_PANIC_REGISTRY: WasmPanicRegistry | undefined;
}

let loaded: Promise<void> | undefined;

/**
 * The package's entry does `import … from "./schema_engine_bg.wasm"`, which
 * Node 20 cannot load without --experimental-wasm-modules; so we instantiate
 * the module ourselves and hand it to the JS bindings, as that entry would.
 */
function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    globalThis.PRISMA_WASM_PANIC_REGISTRY ??= new WasmPanicRegistry();
    const entry = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm");
    const bytes = await readFile(path.join(path.dirname(entry), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": { ...engineBindings } });
    engineBindings.__wbg_set_wasm(instance.exports);
    const start = instance.exports.__wbindgen_start;
    if (typeof start === "function") start();
  })();
  return loaded;
}

export class SchemaEngineError extends Error {
  constructor(operation: string, cause: unknown) {
    super(`schema engine ${operation} failed: ${describeEngineError(cause)}`);
    this.name = "SchemaEngineError";
  }
}

function describeEngineError(error: unknown): string {
  if (error instanceof WebAssembly.RuntimeError) {
    return `engine panic: ${globalThis.PRISMA_WASM_PANIC_REGISTRY?.message ?? error.message}`;
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/**
 * Runs `fn` with a wasm schema engine connected (through adapter-pg) to the
 * database at `url`; shadow databases it creates are dropped afterwards.
 */
export async function withSchemaEngine<T>(
  url: string,
  operation: string,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  await loadWasm();
  const factory = new MigrationAdapterFactory(url);
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  const debug = (message: string) => {
    if (process.env.KEEL_SCHEMA_ENGINE_DEBUG) console.error(`[schema-engine] ${message}`);
  };
  const { SchemaEngine: Engine } = engineBindings;
  let engine: SchemaEngine | undefined;
  try {
    engine = await Engine.new({ datamodels: undefined }, debug, adapter);
    return await fn(engine);
  } catch (error) {
    throw new SchemaEngineError(operation, error);
  } finally {
    engine?.free();
    await factory.cleanup();
  }
}
