import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
} from "@prisma/driver-adapter-utils";
import pg from "pg";

/**
 * adapter-pg 7.10 throws "Unsupported column type char" for PostgreSQL's
 * internal one-byte `"char"` type (OID 18), which the schema engine's catalog
 * queries read (pg_class.relkind, pg_constraint.contype, ...). The engine
 * expects them as the adapter's Character column type.
 *
 * pg has no hook between the row description and the adapter's type mapping,
 * so a Client subclass relabels such columns before pg sees them: type TEXT
 * (parsed as a string) plus a marker suffix on the column name. The adapter
 * wrappers below strip the marker and report ColumnTypeEnum.Character.
 */
const charOid = 18;
const textOid = 25;
const marker = "\u0000keel-char";

interface FieldDescription {
  name: string;
  dataTypeID: number;
}

function hasFields(message: unknown): message is { fields: FieldDescription[] } {
  return typeof message === "object" && message !== null && Array.isArray((message as { fields?: unknown }).fields);
}

export class CharAwareClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // Registered before pg's own listener (attached on connect), so it runs first.
    this.connection.on("rowDescription", (message: unknown) => {
      if (!hasFields(message)) return;
      for (const field of message.fields) {
        if (field.dataTypeID !== charOid) continue;
        field.dataTypeID = textOid;
        field.name += marker;
      }
    });
  }
}

function restoreCharColumns(result: SqlResultSet): SqlResultSet {
  if (!result.columnNames.some((name) => name.endsWith(marker))) return result;
  return {
    ...result,
    columnNames: result.columnNames.map((name) => (name.endsWith(marker) ? name.slice(0, -marker.length) : name)),
    columnTypes: result.columnTypes.map((type, i) =>
      result.columnNames[i]?.endsWith(marker) ? ColumnTypeEnum.Character : type,
    ),
  };
}

function wrapTransaction(inner: Transaction): Transaction {
  const wrapped: Transaction = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    options: inner.options,
    queryRaw: async (query: SqlQuery) => restoreCharColumns(await inner.queryRaw(query)),
    executeRaw: (query: SqlQuery) => inner.executeRaw(query),
    commit: () => inner.commit(),
    rollback: () => inner.rollback(),
  };
  const { createSavepoint, rollbackToSavepoint, releaseSavepoint } = inner;
  if (createSavepoint) wrapped.createSavepoint = (name) => createSavepoint.call(inner, name);
  if (rollbackToSavepoint) wrapped.rollbackToSavepoint = (name) => rollbackToSavepoint.call(inner, name);
  if (releaseSavepoint) wrapped.releaseSavepoint = (name) => releaseSavepoint.call(inner, name);
  return wrapped;
}

type SimpleQueryDriver = { query: (sql: string) => Promise<unknown> };

/**
 * adapter-pg splits a script on every ";", which breaks hand-written migrations with function bodies
 * ($$ … ; … $$). PostgreSQL's simple query protocol runs a whole script as one request instead.
 */
async function executeWholeScript(inner: SqlDriverAdapter, script: string): Promise<void> {
  const driver = (inner as { underlyingDriver?: () => unknown }).underlyingDriver?.();
  if (driver && typeof (driver as Partial<SimpleQueryDriver>).query === "function") {
    await (driver as SimpleQueryDriver).query(script);
    return;
  }
  await inner.executeScript(script);
}

/** An adapter whose results report `"char"` columns as Character; `onDispose` runs after the inner dispose. */
export function withCharColumns(inner: SqlDriverAdapter, onDispose?: () => Promise<void>): SqlDriverAdapter {
  const wrapped: SqlDriverAdapter = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: async (query) => restoreCharColumns(await inner.queryRaw(query)),
    executeRaw: (query) => inner.executeRaw(query),
    executeScript: (script) => executeWholeScript(inner, script),
    startTransaction: async (isolationLevel) => wrapTransaction(await inner.startTransaction(isolationLevel)),
    dispose: async () => {
      await inner.dispose();
      await onDispose?.();
    },
  };
  const { getConnectionInfo } = inner;
  if (getConnectionInfo) wrapped.getConnectionInfo = () => getConnectionInfo.call(inner);
  return wrapped;
}
