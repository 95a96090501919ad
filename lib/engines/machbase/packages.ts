// Machbase package files and the seed's rules about them: which kind each upgrade may use, and
// registration's duplicate file name ("이미 같은 파일 이름의 package 가 추가되어 있다면 에러가 발생").
//
// Naming, from the seed's only two examples:
//   full:        machbase-ent-new.official-LINUX-X86-64-release.tgz              (lines 36, 71)
//   lightweight: machbase-ent-new.official-LINUX-X86-64-release-lightweight.tgz  (line 94)
// The seed never states the rule. Chosen: a file whose name contains "lightweight" (any case, anywhere)
// is LIGHTWEIGHT, every other .tgz/.tar.gz is FULL. Erring toward "lightweight" means a doubtful name
// is refused for the coordinator rather than let through; it is also the lab simulator's rule.
import { z } from "zod";

import { recordMaps } from "./parse";
import type { AdminOutput } from "./types";

export type PackageKind = "FULL" | "LIGHTWEIGHT";

export type PackageFile = {
  /** The base name, as `--list-package` prints it and as the duplicate rule compares it. */
  fileName: string;
  kind: PackageKind;
  /** `new.official` of machbase-ent-new.official-LINUX-…; null when the name does not follow that pattern. */
  release: string | null;
};

export type Classified = { ok: true; value: PackageFile } | { ok: false; reason: string };
export type RuleCheck = { ok: true } | { ok: false; reason: string };

const ARCHIVE_SUFFIX = /\.(tgz|tar\.gz)$/;
const SEED_PATTERN = /^machbase-[a-z]+-(.+?)-LINUX-/;

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Classifies a package path or file name; only gzip'd tars are packages (the seed's `tar -z`). */
export function classifyPackage(path: string): Classified {
  const fileName = baseName(path);
  if (!ARCHIVE_SUFFIX.test(fileName) || fileName.replace(ARCHIVE_SUFFIX, "") === "") {
    return { ok: false, reason: `${fileName || path} is not a Machbase package: expected a .tgz file such as machbase-ent-<release>-LINUX-X86-64-release.tgz` };
  }
  const kind: PackageKind = /lightweight/i.test(fileName) ? "LIGHTWEIGHT" : "FULL";
  return { ok: true, value: { fileName, kind, release: SEED_PATTERN.exec(fileName)?.[1] ?? null } };
}

/** Seed: "lightweight package 가 아닌 full package 로 진행한다" (coordinator upgrade). */
export function coordinatorPackageAllowed(path: string): RuleCheck {
  const classified = classifyPackage(path);
  if (!classified.ok) return classified;
  if (classified.value.kind === "LIGHTWEIGHT") {
    return {
      ok: false,
      reason: `${classified.value.fileName} is a lightweight package; the coordinator must be upgraded with the full package (e.g. machbase-ent-<release>-LINUX-X86-64-release.tgz)`,
    };
  }
  return { ok: true };
}

/**
 * Seed: a deployer may take the lightweight package only when its host runs neither MWA nor a
 * Collector ("MWA 를 수행하거나 Collector 를 수행하지 않는다면, lightweight package 로 진행해도 무방하다").
 */
export function deployerPackageAllowed(input: { path: string; hostRunsMwaOrCollector: boolean; host?: string }): RuleCheck {
  const classified = classifyPackage(input.path);
  if (!classified.ok) return classified;
  if (classified.value.kind === "LIGHTWEIGHT" && input.hostRunsMwaOrCollector) {
    const where = input.host ? `host ${input.host}` : "the deployer's host";
    return {
      ok: false,
      reason: `${classified.value.fileName} is a lightweight package, but ${where} runs MWA or a Collector; upgrade this deployer with the full package`,
    };
  }
  return { ok: true };
}

/** Seed's callout for registration: "lightweight package 로 등록하는 것이 좋다" — advice, not a refusal. */
export function registrationAdvice(path: string): string | null {
  const classified = classifyPackage(path);
  if (!classified.ok || classified.value.kind === "LIGHTWEIGHT") return null;
  return `${classified.value.fileName} is a full package; the seed recommends registering the lightweight package for broker/warehouse upgrades`;
}

// ---- registered packages (`--list-package`) ---------------------------------------------------------

const RegisteredPackageRecord = z.object({
  "Package Name": z.string().min(1),
  "File Name": z.string().min(1),
  "File Size": z.string().optional(),
});

export type RegisteredPackage = { name: string; fileName: string; fileSize: string | null };
export type RegisteredList = { ok: true; packages: RegisteredPackage[] } | { ok: false; reason: string };

/** `--list-package` output (parsed by parse.ts) → its records; a tool error or a broken record is a reason. */
export function registeredPackages(output: AdminOutput): RegisteredList {
  const [toolError] = output.errors;
  if (toolError !== undefined) return { ok: false, reason: `machcoordinatoradmin --list-package: ${toolError}` };
  const packages: RegisteredPackage[] = [];
  for (const record of recordMaps(output)) {
    const parsed = RegisteredPackageRecord.safeParse(record);
    if (!parsed.success) {
      return { ok: false, reason: `unexpected --list-package record: ${Object.entries(record).map(([k, v]) => `${k}: ${v}`).join(", ")}` };
    }
    packages.push({ name: parsed.data["Package Name"], fileName: parsed.data["File Name"], fileSize: parsed.data["File Size"] ?? null });
  }
  return { ok: true, packages };
}

export type RegistrationCheck = { ok: true } | { ok: false; field: "packageFile" | "packageName"; reason: string };

/**
 * Before `--add-package`: the seed's error on a file name already registered (whatever its package
 * name), and a package name already taken (the tool refuses that too).
 */
export function registrationConflict(
  packages: readonly RegisteredPackage[],
  input: { packageName: string; packageFile: string },
): RegistrationCheck {
  const fileName = baseName(input.packageFile);
  const sameFile = packages.find((p) => p.fileName === fileName);
  if (sameFile) {
    return {
      ok: false,
      field: "packageFile",
      reason: `a package with the file name ${fileName} is already registered (as ${sameFile.name}); rename the file or use package ${sameFile.name}`,
    };
  }
  const sameName = packages.find((p) => p.name === input.packageName);
  if (sameName) {
    return {
      ok: false,
      field: "packageName",
      reason: `package name ${input.packageName} is already registered (file ${sameName.fileName}); choose another name`,
    };
  }
  return { ok: true };
}

/** `--upgrade-node --package-name=NAME` needs NAME registered. */
export function packageRegistered(packages: readonly RegisteredPackage[], packageName: string): RuleCheck {
  if (packages.some((p) => p.name === packageName)) return { ok: true };
  const known = packages.map((p) => p.name);
  return {
    ok: false,
    reason: `package ${packageName} is not registered on the coordinator${known.length > 0 ? ` (registered: ${known.join(", ")})` : " (none registered)"}; register it first`,
  };
}

/**
 * Explains `--add-package`'s own `[ERROR]` line when the duplicate slipped past the precheck (another
 * operator registered the same file meanwhile). The real tool's wording is not in the seed; the lab's
 * is matched, anything else is passed through.
 */
export function explainAddPackageError(output: AdminOutput, packageFile: string): string | null {
  const [toolError] = output.errors;
  if (toolError === undefined) return null;
  const fileName = baseName(packageFile);
  if (/already (registered|exists)/i.test(toolError) && toolError.includes(fileName)) {
    return `the coordinator refused: a package with the file name ${fileName} is already registered (${toolError}). Nothing was added; check --list-package.`;
  }
  if (/already (registered|exists)/i.test(toolError)) {
    return `the coordinator refused: the package is already registered (${toolError}). Nothing was added; check --list-package.`;
  }
  return `the coordinator refused to add the package: ${toolError}`;
}
