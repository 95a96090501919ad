// argv builders for every command of seed 000's procedures (Coordinator/Deployer upgrade, package
// registration, node upgrade, snapshots, scrapped-warehouse recovery). Each validates its inputs and
// returns an error value naming the offending field, so a bad value is refused while planning, never
// on a host. argv only: lib/ssh/quote.ts single-quotes every token, so nothing here is shell syntax —
// which is also why `$MACH_COORDINATOR_HOME` cannot appear: the caller passes the resolved home path.
import { z } from "zod";

import { hostPort } from "../../inventory/fields";

export const COORDINATOR_ADMIN = "machcoordinatoradmin";
export const DEPLOYER_ADMIN = "machdeployeradmin";

export const UINT32_MAX = 4_294_967_295;

export type Argv = string[];
export type CommandResult = { ok: true; argv: Argv } | { ok: false; field: string; message: string };
export type BackupResult =
  | { ok: true; argv: Argv; archivePath: string }
  | { ok: false; field: string; message: string };

/** The daemon an admin tool starts and stops: `machcoordinatoradmin` or `machdeployeradmin`. */
export const ComponentSchema = z.enum(["coordinator", "deployer"]);
export type Component = z.infer<typeof ComponentSchema>;

export function adminTool(component: Component): string {
  return component === "coordinator" ? COORDINATOR_ADMIN : DEPLOYER_ADMIN;
}

// ---- field schemas ------------------------------------------------------------------------------

/** A node as Machbase names it: `host:port` (the inventory's rule). */
export const NodeNameSchema = hostPort;

/** Seed: "group_name은 group1, group2와 같이 미리 설정되어 있다" — a plain word, no spaces or quotes. */
export const GroupNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "a group name such as group1 (letters, digits, '.', '_', '-'; no spaces)");

/** `--add-package=NAME` / `--package-name=NAME`: the seed's `new_package`. */
export const PackageNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "a package name such as new_package (letters, digits, '.', '_', '-')");

const SAFE_PATH_CHARS = /^[A-Za-z0-9._/+-]+$/;

/**
 * An absolute POSIX path with no `.`/`..`/empty segments and none of the shell's special characters.
 * One trailing slash is tolerated (the inventory allows it) and dropped.
 */
export const AbsolutePathSchema = z
  .string()
  .refine((p) => p.startsWith("/"), "an absolute path (starting with /)")
  .refine((p) => SAFE_PATH_CHARS.test(p), "letters, digits, . _ / + - only")
  .transform((p) => (p.length > 1 ? p.replace(/\/$/, "") : p))
  .refine((p) => p === "/" || p.slice(1).split("/").every((s) => s !== "" && s !== "." && s !== ".."), "no empty, '.' or '..' path segments");

/** A directory tar writes into or reads from as a whole: never `/` itself. */
export const HomeDirSchema = AbsolutePathSchema.refine((p) => p !== "/", "not the root directory");

/** A gzip'd tar the seed's `tar -zxvf` can read: `.tgz` or `.tar.gz`. */
export const PackageFileSchema = AbsolutePathSchema.refine((p) => /[^/]\.(tgz|tar\.gz)$/.test(p), "a .tgz or .tar.gz package file");

export const SnapshotIntervalSchema = z
  .number({ error: "a number of seconds" })
  .int("a whole number of seconds")
  .min(0, "0 (disabled) or more seconds")
  .max(UINT32_MAX, `at most ${UINT32_MAX} seconds`);

export const GroupStateTargetSchema = z.enum(["readonly", "normal"], { error: "readonly or normal" });

// ---- plumbing -------------------------------------------------------------------------------------

function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join(".") ?? "";
  return { field: field === "" ? "input" : field, message: issue?.message ?? "invalid input" };
}

function build<S extends z.ZodType>(schema: S, input: unknown, argv: (value: z.output<S>) => Argv): CommandResult {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { ok: false, ...firstIssue(parsed.error) };
  return { ok: true, argv: argv(parsed.data) };
}

const componentInput = z.object({ component: ComponentSchema });
const nodeInput = z.object({ node: NodeNameSchema });
const groupInput = z.object({ group: GroupNameSchema });

// ---- coordinator / deployer daemons (seed lines 22, 42, 57, 77) ---------------------------------

export type ComponentInput = { component: Component };

export function shutdownArgv(input: ComponentInput): CommandResult {
  return build(componentInput, input, ({ component }) => [adminTool(component), "--shutdown"]);
}

export function startupArgv(input: ComponentInput): CommandResult {
  return build(componentInput, input, ({ component }) => [adminTool(component), "--startup"]);
}

/** `--check`: is the daemon running (pid) — a probe, not in the seed. */
export function checkArgv(input: ComponentInput): CommandResult {
  return build(componentInput, input, ({ component }) => [adminTool(component), "--check"]);
}

// ---- probes ---------------------------------------------------------------------------------------

/** The seed's table (the seed never shows which command prints it; the vendor manual's). */
export function clusterStatusArgv(): Argv {
  return [COORDINATOR_ADMIN, "--cluster-status-full"];
}

/** Seed line 165: shows the current snapshot interval among the settings. */
export function configurationArgv(): Argv {
  return [COORDINATOR_ADMIN, "--configuration"];
}

/** Registered packages (Package Name / File Name / File Size records), for duplicate detection. */
export function listPackagesArgv(): Argv {
  return [COORDINATOR_ADMIN, "--list-package"];
}

/** Cluster summary; where the lab exposes it, `DDL Status : idle|running` (the "no DDL running" precheck). */
export function clusterNodeArgv(): Argv {
  return [COORDINATOR_ADMIN, "--cluster-node"];
}

// ---- snapshots (seed lines 162, 178) --------------------------------------------------------------

export function snapshotIntervalArgv(input: { seconds: number }): CommandResult {
  return build(z.object({ seconds: SnapshotIntervalSchema }), input, ({ seconds }) => [
    COORDINATOR_ADMIN,
    `--snapshot-interval=${seconds}`,
  ]);
}

/** Shown before setting the interval: 0 turns automatic snapshots off (seed: "0으로 설정하면 … Disable된다"). */
export function snapshotIntervalWarning(seconds: number): string | null {
  return seconds === 0
    ? "An interval of 0 disables automatic snapshots: a warehouse that fails later can only be recovered from the last snapshot taken by hand."
    : null;
}

/** The seed quotes `--group='group_name'` for the shell; as argv the quotes are not part of the value. */
export function execSnapshotArgv(input: { group: string }): CommandResult {
  return build(groupInput, input, ({ group }) => [COORDINATOR_ADMIN, "--exec-snapshot", `--group=${group}`]);
}

// ---- packages and nodes (seed lines 94, 110, 116, 130) --------------------------------------------

/**
 * Seed line 94 passes `--file-name=./…` relative to the shell's directory; a planned step has no
 * such directory, so the file is named by its absolute path on the coordinator's host.
 */
export function addPackageArgv(input: { packageName: string; packageFile: string }): CommandResult {
  const schema = z.object({ packageName: PackageNameSchema, packageFile: PackageFileSchema });
  return build(schema, input, ({ packageName, packageFile }) => [
    COORDINATOR_ADMIN,
    `--add-package=${packageName}`,
    `--file-name=${packageFile}`,
  ]);
}

export function shutdownNodeArgv(input: { node: string }): CommandResult {
  return build(nodeInput, input, ({ node }) => [COORDINATOR_ADMIN, `--shutdown-node=${node}`]);
}

export function upgradeNodeArgv(input: { node: string; packageName: string }): CommandResult {
  const schema = z.object({ node: NodeNameSchema, packageName: PackageNameSchema });
  return build(schema, input, ({ node, packageName }) => [
    COORDINATOR_ADMIN,
    `--upgrade-node=${node}`,
    `--package-name=${packageName}`,
  ]);
}

export function startupNodeArgv(input: { node: string }): CommandResult {
  return build(nodeInput, input, ({ node }) => [COORDINATOR_ADMIN, `--startup-node=${node}`]);
}

// ---- scrapped warehouse recovery (seed lines 188–198, 239–357) ------------------------------------

export function setGroupStateArgv(input: { state: "readonly" | "normal"; group: string }): CommandResult {
  const schema = z.object({ state: GroupStateTargetSchema, group: GroupNameSchema });
  return build(schema, input, ({ state, group }) => [COORDINATOR_ADMIN, `--set-group-state=${state}`, `--group=${group}`]);
}

export function snapshotRecoverArgv(input: { node: string }): CommandResult {
  return build(nodeInput, input, ({ node }) => [COORDINATOR_ADMIN, `--snapshot-recover=${node}`]);
}

export function execSyncArgv(input: { node: string }): CommandResult {
  return build(nodeInput, input, ({ node }) => [COORDINATOR_ADMIN, `--exec-sync=${node}`]);
}

// ---- files on the coordinator / deployer host (seed lines 27, 36, 62, 71) -------------------------

/**
 * Seed lines 36/71: `tar -zxvf PKG -C $MACH_…_HOME`, the FULL package extracted over the home.
 * (Line 36 spells the variable `$MACHBASE_COORDINATOR_HOME`; the text above it and the inventory say
 * `MACH_COORDINATOR_HOME` — either way the caller resolves it to `home`.)
 */
export function extractPackageArgv(input: { packageFile: string; home: string }): CommandResult {
  const schema = z.object({ packageFile: PackageFileSchema, home: HomeDirSchema });
  return build(schema, input, ({ packageFile, home }) => ["tar", "-zxvf", packageFile, "-C", home]);
}

/** `mkdir -p DIR`, so the backup step does not fail on a fresh host. */
export function makeDirectoryArgv(input: { directory: string }): CommandResult {
  return build(z.object({ directory: HomeDirSchema }), input, ({ directory }) => ["mkdir", "-p", directory]);
}

export const BACKUP_DIRECTORIES = ["dbs", "conf"] as const;

const backupInput = z
  .object({
    component: ComponentSchema,
    home: HomeDirSchema,
    backupDir: HomeDirSchema,
    at: z.date({ error: "a time" }).refine((d) => !Number.isNaN(d.getTime()), "a valid time"),
  })
  .superRefine((value, ctx) => {
    // An archive written inside the tree being archived makes tar read its own growing output.
    const inside = BACKUP_DIRECTORIES.some((d) => {
      const archived = `${value.home}/${d}`;
      return value.backupDir === archived || value.backupDir.startsWith(`${archived}/`);
    });
    if (inside) ctx.addIssue({ code: "custom", path: ["backupDir"], message: "must not be inside the dbs/ or conf/ being backed up" });
  });

/** 2026-11-23T12:24:30.123Z → 20261123T122430Z */
function compactStamp(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
}

/**
 * Seed lines 27/62 ("dbs/, conf/ 디렉토리를 백업한다", no command given): one gzip'd tar of both,
 * paths relative to the home so `restoreBackupArgv` puts them back in place. No `v`: dbs/ can hold
 * many thousands of files and the live output would drown the step.
 */
export function backupArgv(input: { component: Component; home: string; backupDir: string; at: Date }): BackupResult {
  const parsed = backupInput.safeParse(input);
  if (!parsed.success) return { ok: false, ...firstIssue(parsed.error) };
  const { component, home, backupDir, at } = parsed.data;
  const archivePath = `${backupDir}/mach${component}-dbs-conf-${compactStamp(at)}.tgz`;
  return { ok: true, archivePath, argv: ["tar", "-czf", archivePath, "-C", home, ...BACKUP_DIRECTORIES] };
}

/** The undo of `backupArgv`, for the "what to do if this fails" text (the daemon must be stopped). */
export function restoreBackupArgv(input: { archivePath: string; home: string }): CommandResult {
  const schema = z.object({ archivePath: PackageFileSchema, home: HomeDirSchema });
  return build(schema, input, ({ archivePath, home }) => ["tar", "-xzf", archivePath, "-C", home]);
}
