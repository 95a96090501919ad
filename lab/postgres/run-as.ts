import { execFile } from "node:child_process";
import { runCommand, type CommandOutcome } from "../hosts/run-command";

export type LabAccount = { uid: number; gid: number; home: string };

export async function lookupAccount(user: string): Promise<LabAccount> {
  const out = await runCommand("getent", ["passwd", user]);
  if (out.code !== 0) throw new Error(`no such user ${user} (start the lab hosts first)`);
  const [, , uid, gid, , home] = out.stdout.trim().split(":");
  return { uid: Number(uid), gid: Number(gid), home: home ?? "/" };
}

/** Runs a program as a lab user (as its host's procedures would over SSH), with a small clean env. */
export async function runAs(user: string, file: string, args: readonly string[], o: { env?: Record<string, string>; cwd?: string } = {}): Promise<CommandOutcome> {
  const account = await lookupAccount(user);
  const env: Record<string, string> = { PATH: "/usr/bin:/bin", HOME: account.home, LANG: "C.UTF-8", USER: user, ...o.env };
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        uid: account.uid,
        gid: account.gid,
        cwd: o.cwd ?? "/",
        encoding: "utf8",
        // Next's typings make NODE_ENV mandatory in ProcessEnv; these tools do not read it.
        env: env as NodeJS.ProcessEnv,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr: stderr || (err && code !== 0 ? err.message : "") });
      },
    );
  });
}
