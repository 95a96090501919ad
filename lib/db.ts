import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

const globalForDb = globalThis as unknown as { keelDb?: PrismaClient };

function createClient(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run through `npm run demo` / `npm test`, or set it");
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) });
}

/** The one database client of the process (kept on globalThis so dev reloads do not leak pools). */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop, receiver) {
    globalForDb.keelDb ??= createClient();
    return Reflect.get(globalForDb.keelDb, prop, receiver) as unknown;
  },
});

export async function disconnectDb(): Promise<void> {
  await globalForDb.keelDb?.$disconnect();
  globalForDb.keelDb = undefined;
}
