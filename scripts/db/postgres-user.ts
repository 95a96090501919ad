import { chown, readFile } from "node:fs/promises";
import { postgresUser } from "./run-as-postgres";

interface UnixIds {
  uid: number;
  gid: number;
}

async function lookupUser(name: string): Promise<UnixIds> {
  const passwd = await readFile("/etc/passwd", "utf8");
  for (const line of passwd.split("\n")) {
    const [user, , uid, gid] = line.split(":");
    if (user === name && uid !== undefined && gid !== undefined) return { uid: Number(uid), gid: Number(gid) };
  }
  throw new Error(`user ${name} does not exist; install PostgreSQL with \`apt-get install -y postgresql\``);
}

export async function chownToPostgres(target: string): Promise<void> {
  const { uid, gid } = await lookupUser(postgresUser);
  await chown(target, uid, gid);
}
