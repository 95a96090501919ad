// The seed's Coordinator and Deployer upgrades are one procedure ("Coordinator 와 동일하다") with a
// different admin tool, home and package rule: shutdown → optional backup of dbs/ and conf/ → the
// package extracted over the home → startup → verify.
import { forEach, parsed, type Assertion, type HostSelector, type LeafStep, type ProcedureStep, type StepScope } from "../../../runs/model";
import type { ProbeTarget } from "../../../status/types";
import {
  adminTool,
  backupArgv,
  clusterStatusArgv,
  extractPackageArgv,
  makeDirectoryArgv,
  restoreBackupArgv,
  shutdownArgv,
  startupArgv,
  type BackupResult,
  type Component,
} from "../commands";
import { clusterHealthy } from "../prechecks";
import { onPrimaryCoordinator, settingPath, statusTable, STATUS_POLL_MS } from "./shared";

/** What both upgrades' parameters hold. `backupAt` fixes the archive's name when the plan is made. */
export type DaemonUpgradeParams = { packageFile: string; backupDir?: string | undefined; backupAt: string };

type Scope<P> = StepScope<P, null>;

export type DaemonUpgradeSpec<P extends DaemonUpgradeParams> = {
  component: Component;
  /** The settings key of the daemon's home: MACH_COORDINATOR_HOME / MACH_DEPLOYER_HOME. */
  homeKey: string;
  /** Where the daemon runs. */
  host: HostSelector<StepScope<P, unknown>>;
  /** The procedure's own prechecks (DDL, …), run after the cluster is found reachable. */
  prechecks: readonly LeafStep<Scope<P>>[];
  /** The daemon is back in its role: polled after startup. */
  backInRole: Assertion<Scope<P>>;
  confirmText: (scope: Scope<P>) => string;
};

export const BACK_TIMEOUT_MS = 5 * 60_000;

/** The archive the backup step writes, named from the plan's `backupAt`. */
export function backupOf(component: Component, settings: ProbeTarget["settings"], homeKey: string, backupDir: string, at: string): BackupResult {
  const home = settingPath(settings, homeKey);
  return home.ok ? backupArgv({ component, home: home.path, backupDir, at: new Date(at) }) : home;
}

export function daemonUpgradeSteps<P extends DaemonUpgradeParams>(spec: DaemonUpgradeSpec<P>): ProcedureStep<P>[] {
  const { component, homeKey, host } = spec;
  const tool = adminTool(component);
  const coordinator = onPrimaryCoordinator<Scope<P>>();
  const homeText = (settings: ProbeTarget["settings"]) => {
    const home = settingPath(settings, homeKey);
    return home.ok ? home.path : `$${homeKey}`;
  };
  return [
    {
      kind: "precheck",
      id: "cluster-reachable",
      title: "The cluster answers and its status table reads",
      host: coordinator,
      argv: clusterStatusArgv(),
      assert: parsed(statusTable, () => ({ ok: true })),
    },
    ...spec.prechecks,
    { kind: "confirm", id: "approve", title: `Approve the ${component} upgrade`, text: spec.confirmText, destructive: true },
    {
      kind: "action",
      id: "shutdown",
      title: `Shut down the ${component}`,
      host,
      argv: shutdownArgv({ component }),
      idempotent: false,
      onFailure: `Nothing was changed yet. Check the ${component} with ${tool} --check; find out why it did not stop before retrying.`,
    },
    forEach<P, string>({
      id: "backups",
      title: `Back up the ${component}'s dbs/ and conf/`,
      items: ({ params }) => (params.backupDir === undefined ? [] : [params.backupDir]),
      label: (dir) => dir,
      steps: [
        {
          kind: "action",
          id: "backup-dir",
          title: ({ item }) => `Create the backup directory ${item}`,
          host,
          argv: ({ item }) => makeDirectoryArgv({ directory: item }),
          idempotent: true,
          onFailure: ({ item }) => `The ${component} is stopped and unchanged. Fix ${item} (permissions, disk) and retry, or start it again with ${tool} --startup.`,
        },
        {
          kind: "action",
          id: "archive",
          title: ({ settings, item, params }) => {
            const archive = backupOf(component, settings, homeKey, item, params.backupAt);
            return archive.ok ? `Back up dbs/ and conf/ to ${archive.archivePath}` : "Back up dbs/ and conf/";
          },
          host,
          argv: ({ settings, item, params }) => backupOf(component, settings, homeKey, item, params.backupAt),
          idempotent: true,
          onFailure: `The ${component} is stopped and its files are unchanged; a partial archive may be left. Free space and retry, or start it again with ${tool} --startup.`,
        },
      ],
    }),
    {
      kind: "action",
      id: "extract",
      title: ({ params, settings }) => `Extract ${params.packageFile} over ${homeText(settings)}`,
      host,
      argv: ({ params, settings }) => {
        const home = settingPath(settings, homeKey);
        return home.ok ? extractPackageArgv({ packageFile: params.packageFile, home: home.path }) : home;
      },
      idempotent: true,
      onFailure: ({ params, settings }) => {
        const archive = params.backupDir === undefined ? null : backupOf(component, settings, homeKey, params.backupDir, params.backupAt);
        const restore = archive?.ok ? restoreBackupArgv({ archivePath: archive.archivePath, home: homeText(settings) }) : null;
        const undo = restore?.ok ? ` To roll back: ${restore.argv.join(" ")}, then ${tool} --startup.` : "";
        return `The ${component} is stopped and its home may be partly overwritten. Retry the extraction (repeating it is harmless).${undo}`;
      },
    },
    {
      kind: "action",
      id: "startup",
      title: `Start the ${component}`,
      host,
      argv: startupArgv({ component }),
      idempotent: false,
      onFailure: `The ${component} is upgraded on disk but not running; brokers and warehouses keep serving. Read its trace log, then retry ${tool} --startup.`,
    },
    {
      kind: "wait-until",
      id: "back",
      title: `Wait until the ${component} is back`,
      host: coordinator,
      argv: clusterStatusArgv(),
      until: spec.backInRole,
      timeoutMs: BACK_TIMEOUT_MS,
      pollMs: STATUS_POLL_MS,
      onFailure: `The ${component} did not come back within ${BACK_TIMEOUT_MS / 60_000} minutes. Check it with ${tool} --check and its trace log; nothing else was touched.`,
    },
    {
      kind: "verify",
      id: "cluster-healthy",
      title: "Every node serves and every group is normal",
      host: coordinator,
      argv: clusterStatusArgv(),
      assert: parsed(statusTable, (table) => clusterHealthy(table)),
    },
  ];
}
