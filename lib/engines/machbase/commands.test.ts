import { describe, expect, it } from "vitest";

import {
  UINT32_MAX,
  addPackageArgv,
  backupArgv,
  checkArgv,
  clusterNodeArgv,
  clusterStatusArgv,
  configurationArgv,
  execSnapshotArgv,
  execSyncArgv,
  extractPackageArgv,
  listPackagesArgv,
  makeDirectoryArgv,
  restoreBackupArgv,
  setGroupStateArgv,
  shutdownArgv,
  shutdownNodeArgv,
  snapshotIntervalArgv,
  snapshotIntervalWarning,
  snapshotRecoverArgv,
  startupArgv,
  startupNodeArgv,
  upgradeNodeArgv,
  type CommandResult,
} from "./commands";
import { STATUS_ARGV, CONFIGURATION_ARGV } from "./status";

/** A seed command line as argv (the seed's lines have no quoting beyond line 178's, handled there). */
const tokens = (line: string) => line.split(" ");

function argvOf(result: CommandResult): string[] {
  if (!result.ok) throw new Error(`refused: ${result.field}: ${result.message}`);
  return result.argv;
}

const HOME = "/home/machbase/coordinator";
const FULL_PKG = "machbase-ent-new.official-LINUX-X86-64-release.tgz";
const LIGHT_PKG = "machbase-ent-new.official-LINUX-X86-64-release-lightweight.tgz";

describe("golden: argv equals the seed's command line", () => {
  it("coordinator and deployer daemons", () => {
    // seed line 22
    expect(argvOf(shutdownArgv({ component: "coordinator" }))).toEqual(tokens("machcoordinatoradmin --shutdown"));
    // seed line 42
    expect(argvOf(startupArgv({ component: "coordinator" }))).toEqual(tokens("machcoordinatoradmin --startup"));
    // seed line 57
    expect(argvOf(shutdownArgv({ component: "deployer" }))).toEqual(tokens("machdeployeradmin --shutdown"));
    // seed line 77
    expect(argvOf(startupArgv({ component: "deployer" }))).toEqual(tokens("machdeployeradmin --startup"));
  });

  it("package extraction over the home", () => {
    // seed line 36, with the relative package resolved to its directory and $MACHBASE_COORDINATOR_HOME to HOME
    const line36 = `tar -zxvf ${FULL_PKG} -C $MACHBASE_COORDINATOR_HOME`;
    expect(argvOf(extractPackageArgv({ packageFile: `/home/machbase/pkg/${FULL_PKG}`, home: HOME }))).toEqual(
      tokens(line36.replace(FULL_PKG, `/home/machbase/pkg/${FULL_PKG}`).replace("$MACHBASE_COORDINATOR_HOME", HOME)),
    );
    // seed line 71
    const line71 = `tar -zxvf ${FULL_PKG} -C $MACH_DEPLOYER_HOME`;
    expect(argvOf(extractPackageArgv({ packageFile: `/tmp/${FULL_PKG}`, home: "/home/machbase/deployer" }))).toEqual(
      tokens(line71.replace(FULL_PKG, `/tmp/${FULL_PKG}`).replace("$MACH_DEPLOYER_HOME", "/home/machbase/deployer")),
    );
  });

  it("package registration", () => {
    // seed line 94, `./` resolved to the directory the package was copied to on the coordinator host
    const line94 = `machcoordinatoradmin --add-package=new_package --file-name=./${LIGHT_PKG}`;
    expect(argvOf(addPackageArgv({ packageName: "new_package", packageFile: `/home/machbase/${LIGHT_PKG}` }))).toEqual(
      tokens(line94.replace("./", "/home/machbase/")),
    );
  });

  it("node shutdown, upgrade, startup", () => {
    // seed line 110
    expect(argvOf(shutdownNodeArgv({ node: "localhost:5656" }))).toEqual(tokens("machcoordinatoradmin --shutdown-node=localhost:5656"));
    // seed line 116
    expect(argvOf(upgradeNodeArgv({ node: "localhost:5656", packageName: "new_package" }))).toEqual(
      tokens("machcoordinatoradmin --upgrade-node=localhost:5656 --package-name=new_package"),
    );
    // seed line 130
    expect(argvOf(startupNodeArgv({ node: "localhost:5656" }))).toEqual(tokens("machcoordinatoradmin --startup-node=localhost:5656"));
  });

  it("snapshot settings and manual snapshot", () => {
    // seed line 162 (`[sec]` = 60, the seed's default)
    expect(argvOf(snapshotIntervalArgv({ seconds: 60 }))).toEqual(tokens("machcoordinatoradmin --snapshot-interval=60"));
    // seed line 165
    expect(configurationArgv()).toEqual(tokens("machcoordinatoradmin --configuration"));
    // seed line 178: the shell strips the quotes of --group='group_name'; argv carries the bare value
    expect(argvOf(execSnapshotArgv({ group: "group1" }))).toEqual(tokens("machcoordinatoradmin --exec-snapshot --group='group1'".replaceAll("'", "")));
  });

  it("scrapped warehouse recovery, as run in the seed's walk-through", () => {
    // seed line 239
    expect(argvOf(setGroupStateArgv({ state: "readonly", group: "group1" }))).toEqual(
      tokens("machcoordinatoradmin --set-group-state=readonly --group=group1"),
    );
    // seed line 280
    expect(argvOf(snapshotRecoverArgv({ node: "localhost:30410" }))).toEqual(tokens("machcoordinatoradmin --snapshot-recover=localhost:30410"));
    // seed line 305
    expect(argvOf(execSyncArgv({ node: "localhost:30410" }))).toEqual(tokens("machcoordinatoradmin --exec-sync=localhost:30410"));
    // seed line 357
    expect(argvOf(setGroupStateArgv({ state: "normal", group: "group1" }))).toEqual(
      tokens("machcoordinatoradmin --set-group-state=normal --group=group1"),
    );
  });

  it("probes agree with the status probe's argv", () => {
    expect(clusterStatusArgv()).toEqual(STATUS_ARGV);
    expect(configurationArgv()).toEqual(CONFIGURATION_ARGV);
    expect(listPackagesArgv()).toEqual(["machcoordinatoradmin", "--list-package"]);
    expect(clusterNodeArgv()).toEqual(["machcoordinatoradmin", "--cluster-node"]);
    expect(argvOf(checkArgv({ component: "deployer" }))).toEqual(["machdeployeradmin", "--check"]);
  });
});

describe("refusals name the field", () => {
  const refused = (result: CommandResult | ReturnType<typeof backupArgv>) => (result.ok ? null : { field: result.field, message: result.message });

  it("node names that are not host:port", () => {
    for (const node of ["localhost", "localhost:", ":5656", "localhost:99999", "local host:5656", "localhost:5656;rm -rf /", "$(id):1"]) {
      expect(refused(shutdownNodeArgv({ node })), node).toEqual({ field: "node", message: "host:port, e.g. 192.168.0.10:5101" });
    }
    expect(refused(upgradeNodeArgv({ node: "wh1", packageName: "new_package" }))?.field).toBe("node");
    expect(refused(startupNodeArgv({ node: "" }))?.field).toBe("node");
    expect(refused(snapshotRecoverArgv({ node: "group1" }))?.field).toBe("node");
    expect(refused(execSyncArgv({ node: "localhost:30410 " }))).toBeNull(); // trimmed, like the inventory
  });

  it("groups with spaces or quotes", () => {
    for (const group of ["group 1", "'group1'", "group1;ls", "", "-group"]) {
      expect(refused(execSnapshotArgv({ group }))?.field, group).toBe("group");
    }
    expect(refused(setGroupStateArgv({ state: "normal", group: "my group" }))?.message).toMatch(/no spaces/);
  });

  it("group state other than readonly/normal", () => {
    expect(refused(setGroupStateArgv({ state: "scrapped" as "normal", group: "group1" }))).toEqual({ field: "state", message: "readonly or normal" });
  });

  it("package names with shell metacharacters", () => {
    for (const packageName of ["new package", "pkg;rm", "$(id)", "a|b", "a`b`", "", "x".repeat(65)]) {
      expect(refused(upgradeNodeArgv({ node: "localhost:5656", packageName }))?.field, packageName).toBe("packageName");
      expect(refused(addPackageArgv({ packageName, packageFile: `/tmp/${LIGHT_PKG}` }))?.field, packageName).toBe("packageName");
    }
  });

  it("relative, unsafe or non-package files", () => {
    const bad = [`./${LIGHT_PKG}`, LIGHT_PKG, `/tmp/../etc/${LIGHT_PKG}`, `/tmp/a b.tgz`, "/tmp/pkg.zip", "/tmp/.tgz", "/tmp//x.tgz", "/tmp/$HOME.tgz"];
    for (const packageFile of bad) {
      expect(refused(addPackageArgv({ packageName: "new_package", packageFile }))?.field, packageFile).toBe("packageFile");
      expect(refused(extractPackageArgv({ packageFile, home: HOME }))?.field, packageFile).toBe("packageFile");
    }
    expect(refused(extractPackageArgv({ packageFile: `./${FULL_PKG}`, home: HOME }))?.message).toBe("an absolute path (starting with /)");
  });

  it("homes that are relative, the root, or hold .. segments", () => {
    for (const home of ["coordinator", "$MACH_COORDINATOR_HOME", "/", "/home/../", "~/coordinator"]) {
      expect(refused(extractPackageArgv({ packageFile: `/tmp/${FULL_PKG}`, home }))?.field, home).toBe("home");
    }
    expect(argvOf(extractPackageArgv({ packageFile: `/tmp/${FULL_PKG}`, home: `${HOME}/` }))).toEqual(["tar", "-zxvf", `/tmp/${FULL_PKG}`, "-C", HOME]);
  });

  it("snapshot interval is 0..uint32", () => {
    expect(argvOf(snapshotIntervalArgv({ seconds: 0 }))).toEqual(["machcoordinatoradmin", "--snapshot-interval=0"]);
    expect(argvOf(snapshotIntervalArgv({ seconds: UINT32_MAX }))).toEqual(["machcoordinatoradmin", "--snapshot-interval=4294967295"]);
    expect(refused(snapshotIntervalArgv({ seconds: -1 }))).toEqual({ field: "seconds", message: "0 (disabled) or more seconds" });
    expect(refused(snapshotIntervalArgv({ seconds: UINT32_MAX + 1 }))).toEqual({ field: "seconds", message: "at most 4294967295 seconds" });
    expect(refused(snapshotIntervalArgv({ seconds: 1.5 }))?.field).toBe("seconds");
    expect(refused(snapshotIntervalArgv({ seconds: Number.NaN }))?.field).toBe("seconds");
    expect(snapshotIntervalWarning(0)).toMatch(/disables automatic snapshots/);
    expect(snapshotIntervalWarning(60)).toBeNull();
  });

  it("unknown component", () => {
    expect(refused(shutdownArgv({ component: "broker" as "deployer" }))?.field).toBe("component");
  });
});

describe("backup of dbs/ and conf/", () => {
  const at = new Date("2026-11-23T12:24:30.123Z");

  it("archives both directories relative to the home and returns the archive path", () => {
    const result = backupArgv({ component: "coordinator", home: HOME, backupDir: "/var/backups/keel", at });
    expect(result).toEqual({
      ok: true,
      archivePath: "/var/backups/keel/machcoordinator-dbs-conf-20261123T122430Z.tgz",
      argv: ["tar", "-czf", "/var/backups/keel/machcoordinator-dbs-conf-20261123T122430Z.tgz", "-C", HOME, "dbs", "conf"],
    });
    const deployer = backupArgv({ component: "deployer", home: "/home/machbase/deployer/", backupDir: "/backup/", at });
    expect(deployer.ok && deployer.archivePath).toBe("/backup/machdeployer-dbs-conf-20261123T122430Z.tgz");
    expect(deployer.ok && deployer.argv[4]).toBe("/home/machbase/deployer");
  });

  it("refuses an archive inside the trees it archives, relative dirs and invalid times", () => {
    expect(backupArgv({ component: "coordinator", home: HOME, backupDir: `${HOME}/dbs/old`, at })).toEqual({
      ok: false,
      field: "backupDir",
      message: "must not be inside the dbs/ or conf/ being backed up",
    });
    expect(backupArgv({ component: "coordinator", home: HOME, backupDir: `${HOME}/conf`, at }).ok).toBe(false);
    expect(backupArgv({ component: "coordinator", home: HOME, backupDir: `${HOME}/dbs-backups`, at }).ok).toBe(true);
    expect(backupArgv({ component: "coordinator", home: HOME, backupDir: "backups", at })).toMatchObject({ ok: false, field: "backupDir" });
    expect(backupArgv({ component: "coordinator", home: HOME, backupDir: "/b", at: new Date("nope") })).toMatchObject({ ok: false, field: "at" });
  });

  it("restores and prepares the backup directory", () => {
    const archive = "/var/backups/keel/machcoordinator-dbs-conf-20261123T122430Z.tgz";
    expect(argvOf(restoreBackupArgv({ archivePath: archive, home: HOME }))).toEqual(["tar", "-xzf", archive, "-C", HOME]);
    expect(argvOf(makeDirectoryArgv({ directory: "/var/backups/keel" }))).toEqual(["mkdir", "-p", "/var/backups/keel"]);
    expect(makeDirectoryArgv({ directory: "/" }).ok).toBe(false);
  });
});
