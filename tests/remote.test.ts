import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeHostKey, type LabEstate, startLabHosts, stopLabHosts } from "../lab/hosts/index";
import { ACTIONS } from "@/lib/api/registry";
import { db } from "@/lib/db";
import { runOnHost } from "@/lib/remote/run-on-host";
import { defaultPool } from "@/lib/ssh";
import { useTestDatabase } from "./db";
import { signedInAs } from "./factories";
import { callAction } from "./http";

useTestDatabase();
const runDir = path.join(process.cwd(), "lab", ".run", "test-remote");
let estate: LabEstate;
let dba: { cookie: string; user: { id: string; email: string; role: "DBA" } };
let hostId = "";

beforeAll(async () => {
  estate = await startLabHosts([{ name: "t-remote1", address: "127.0.0.212", port: 2212, env: {} }], { runDir });
  dba = (await signedInAs("DBA")) as typeof dba;
  const key = readFileSync(estate.clientKeyPath, "utf8");
  const cred = await callAction(ACTIONS.createCredential, dba.cookie, { name: "lab-key", kind: "SSH_KEY", secret: key });
  const host = await callAction(ACTIONS.createHost, dba.cookie, {
    name: "remote1",
    address: "127.0.0.212",
    sshPort: 2212,
    username: estate.hosts[0]!.user,
    credentialId: (cred.json.data as { id: string }).id,
  });
  hostId = (host.json.data as { id: string }).id;
});

afterAll(async () => {
  await defaultPool().closeAll();
  await stopLabHosts(runDir);
});

describe("host keys and audited remote commands, on a real sshd", () => {
  it("refuses to run anything before the host key is trusted", async () => {
    const res = await callAction(ACTIONS.testHostConnection, dba.cookie, { id: hostId });
    expect(res.json.data).toMatchObject({ ok: false, kind: "host-key-unknown" });
    expect((res.json.data as { message: string }).message).toMatch(/no trusted host key yet/);
  });

  it("shows the key on first contact, pins it only when confirmed, then runs commands", async () => {
    const probe = await callAction(ACTIONS.probeHostKeyAction, dba.cookie, { id: hostId });
    const { fingerprint } = probe.json.data as { fingerprint: string };
    expect(fingerprint).toBe(estate.hosts[0]!.hostKeyFingerprint);
    expect((await db.host.findUniqueOrThrow({ where: { id: hostId } })).hostKeyFingerprint).toBeNull();

    const wrong = await callAction(ACTIONS.trustHostKey, dba.cookie, { id: hostId, fingerprint: `SHA256:${"B".repeat(43)}` });
    expect(wrong.status).toBe(409);
    expect(wrong.json.error?.message).toMatch(/not the key you confirmed/);

    const trusted = await callAction(ACTIONS.trustHostKey, dba.cookie, { id: hostId, fingerprint });
    expect(trusted.status).toBe(200);
    const host = await db.host.findUniqueOrThrow({ where: { id: hostId } });
    expect(host.hostKeyFingerprint).toBe(fingerprint);
    expect(host.hostKeyTrustedBy).toBe(dba.user.email);

    const test = await callAction(ACTIONS.testHostConnection, dba.cookie, { id: hostId });
    expect(test.json.data).toMatchObject({ ok: true });
  });

  it("audits the exact argv, exit code and a digest of the output", async () => {
    const tricky = "a'b; touch /tmp/keel-canary-remote $(id)";
    const result = await runOnHost({ actor: { id: dba.user.id, email: dba.user.email, role: "DBA" }, clusterName: "c1", purpose: "test" }, hostId, ["printf", "%s|", tricky, "x"]);
    expect(result).toMatchObject({ ok: true, exitCode: 0, stdout: `${tricky}|x|` });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "ssh.exec", clusterName: "c1" }, orderBy: { id: "desc" } });
    const payload = event.payload as { argv: string[]; exitCode: number; stdout: { excerpt: string; sha256: string; bytes: number } };
    expect(payload.argv).toEqual(["printf", "%s|", tricky, "x"]);
    expect(payload.exitCode).toBe(0);
    expect(payload.stdout.excerpt).toBe(`${tricky}|x|`);
    expect(payload.stdout.bytes).toBe(Buffer.byteLength(`${tricky}|x|`));
    expect(event.hostName).toBe("remote1");
  });

  it("names a missing command and a failing one plainly, and audits them as failed", async () => {
    const actor = { id: dba.user.id, email: dba.user.email, role: "DBA" };
    const missing = await runOnHost({ actor }, hostId, ["no-such-tool-keel"]);
    expect(missing).toMatchObject({ ok: false, kind: "command-not-found", exitCode: 127 });
    const failing = await runOnHost({ actor }, hostId, ["sh", "-c", "echo oops >&2; exit 3"]);
    expect(failing).toMatchObject({ ok: false, kind: "non-zero-exit", exitCode: 3, stderr: "oops\n" });
    const outcomes = await db.auditEvent.findMany({ where: { action: "ssh.exec", outcome: "failed" } });
    expect(outcomes.length).toBeGreaterThanOrEqual(2);
  });

  it("refuses a changed host key, raises the alert on the host, and audits the mismatch", async () => {
    const before = (await db.host.findUniqueOrThrow({ where: { id: hostId } })).hostKeyFingerprint;
    await defaultPool().closeAll();
    const changed = await changeHostKey("t-remote1", { runDir });
    const res = await callAction(ACTIONS.testHostConnection, dba.cookie, { id: hostId });
    expect(res.json.data).toMatchObject({ ok: false, kind: "host-key-mismatch" });
    expect((res.json.data as { message: string }).message).toMatch(/Refusing to connect/);
    const host = await db.host.findUniqueOrThrow({ where: { id: hostId } });
    expect(host.hostKeyFingerprint).toBe(before);
    expect(host.hostKeyMismatchFingerprint).toBe(changed.hostKeyFingerprint);
    expect(await db.auditEvent.count({ where: { action: "ssh.host_key_mismatch", hostId } })).toBe(1);
  });
});
