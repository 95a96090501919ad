import { describe, expect, it } from "vitest";

import {
  classifyPackage,
  coordinatorPackageAllowed,
  deployerPackageAllowed,
  explainAddPackageError,
  packageRegistered,
  registeredPackages,
  registrationAdvice,
  registrationConflict,
  type RegisteredPackage,
} from "./packages";
import { parseAdminOutput } from "./parse";
import { renderBanner, renderFields } from "./render";
import type { AdminOutput } from "./types";

// seed lines 36/71 (full) and 94 (lightweight)
const FULL = "machbase-ent-new.official-LINUX-X86-64-release.tgz";
const LIGHT = "machbase-ent-new.official-LINUX-X86-64-release-lightweight.tgz";

function parsed(lines: string[]): AdminOutput {
  const result = parseAdminOutput([...renderBanner("coordinator", "321a012d05.develop"), ...lines].join("\n"));
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** `--list-package` as the lab simulator prints it (records separated by a " " line). */
function listOutput(packages: RegisteredPackage[]): AdminOutput {
  return parsed(
    packages.flatMap((p, i) => [
      ...(i > 0 ? [" "] : []),
      ...renderFields(
        [
          { key: "Package Name", value: p.name },
          { key: "File Name", value: p.fileName },
          { key: "File Size", value: p.fileSize ?? "" },
        ],
        1,
      ),
    ]),
  );
}

describe("classifyPackage", () => {
  it("follows the seed's two names", () => {
    expect(classifyPackage(FULL)).toEqual({ ok: true, value: { fileName: FULL, kind: "FULL", release: "new.official" } });
    expect(classifyPackage(`/home/machbase/${LIGHT}`)).toEqual({ ok: true, value: { fileName: LIGHT, kind: "LIGHTWEIGHT", release: "new.official" } });
  });

  it("treats any 'lightweight' in the name as lightweight, other archives as full", () => {
    expect(classifyPackage("/tmp/Machbase-LightWeight-6.5.tar.gz")).toMatchObject({ ok: true, value: { kind: "LIGHTWEIGHT", release: null } });
    expect(classifyPackage("/tmp/machbase-6.5.3.tgz")).toMatchObject({ ok: true, value: { kind: "FULL", release: null } });
  });

  it("refuses files that are not gzip'd tars", () => {
    expect(classifyPackage("/tmp/machbase.zip")).toEqual({
      ok: false,
      reason: "machbase.zip is not a Machbase package: expected a .tgz file such as machbase-ent-<release>-LINUX-X86-64-release.tgz",
    });
    expect(classifyPackage("/tmp/.tgz").ok).toBe(false);
  });
});

describe("upgrade rules", () => {
  it("coordinator: full only, refusal names the file", () => {
    expect(coordinatorPackageAllowed(`/home/machbase/${FULL}`)).toEqual({ ok: true });
    expect(coordinatorPackageAllowed(`/home/machbase/${LIGHT}`)).toEqual({
      ok: false,
      reason: `${LIGHT} is a lightweight package; the coordinator must be upgraded with the full package (e.g. machbase-ent-<release>-LINUX-X86-64-release.tgz)`,
    });
    expect(coordinatorPackageAllowed("/tmp/notes.txt").ok).toBe(false);
  });

  it("deployer: lightweight only on a host without MWA or Collector", () => {
    expect(deployerPackageAllowed({ path: LIGHT, hostRunsMwaOrCollector: false })).toEqual({ ok: true });
    expect(deployerPackageAllowed({ path: FULL, hostRunsMwaOrCollector: true })).toEqual({ ok: true });
    expect(deployerPackageAllowed({ path: `/tmp/${LIGHT}`, hostRunsMwaOrCollector: true, host: "mb1" })).toEqual({
      ok: false,
      reason: `${LIGHT} is a lightweight package, but host mb1 runs MWA or a Collector; upgrade this deployer with the full package`,
    });
  });

  it("registration advises the lightweight package", () => {
    expect(registrationAdvice(LIGHT)).toBeNull();
    expect(registrationAdvice(FULL)).toMatch(/recommends registering the lightweight package/);
  });
});

describe("registration duplicates from --list-package", () => {
  const registered: RegisteredPackage[] = [
    { name: "machbase", fileName: "machbase-ent-321a012d05.develop-LINUX-X86-64-release-lightweight.tgz", fileSize: "13 bytes" },
    { name: "new_package", fileName: LIGHT, fileSize: "13 bytes" },
  ];

  it("reads the records through the existing parser", () => {
    expect(registeredPackages(listOutput(registered))).toEqual({ ok: true, packages: registered });
    expect(registeredPackages(parsed([]))).toEqual({ ok: true, packages: [] });
  });

  it("reports a tool error or a record without a file name", () => {
    expect(registeredPackages(parsed(["[ERROR] Machbase Coordinator is not running."]))).toEqual({
      ok: false,
      reason: "machcoordinatoradmin --list-package: Machbase Coordinator is not running.",
    });
    expect(registeredPackages(parsed(["Package Name : x"]))).toEqual({ ok: false, reason: "unexpected --list-package record: Package Name: x" });
  });

  it("detects the same file name under any directory and package name", () => {
    expect(registrationConflict(registered, { packageName: "other", packageFile: `/elsewhere/${LIGHT}` })).toEqual({
      ok: false,
      field: "packageFile",
      reason: `a package with the file name ${LIGHT} is already registered (as new_package); rename the file or use package new_package`,
    });
  });

  it("detects a package name already taken", () => {
    expect(registrationConflict(registered, { packageName: "new_package", packageFile: "/tmp/machbase-ent-7-LINUX-X86-64-release-lightweight.tgz" })).toEqual({
      ok: false,
      field: "packageName",
      reason: "package name new_package is already registered (file machbase-ent-new.official-LINUX-X86-64-release-lightweight.tgz); choose another name",
    });
    expect(registrationConflict(registered, { packageName: "pkg7", packageFile: "/tmp/machbase-ent-7-LINUX-X86-64-release-lightweight.tgz" })).toEqual({ ok: true });
  });

  it("checks that the package to upgrade to is registered", () => {
    expect(packageRegistered(registered, "new_package")).toEqual({ ok: true });
    expect(packageRegistered(registered, "pkg7")).toEqual({
      ok: false,
      reason: "package pkg7 is not registered on the coordinator (registered: machbase, new_package); register it first",
    });
    expect(packageRegistered([], "pkg7").ok).toBe(false);
  });

  it("explains the tool's own duplicate error (lab wording)", () => {
    const output = parsed([`[ERROR] Package file (${LIGHT}) is already registered as package (new_package).`]);
    expect(explainAddPackageError(output, `/home/machbase/${LIGHT}`)).toMatch(new RegExp(`^the coordinator refused: a package with the file name ${LIGHT.replaceAll(".", "\\.")} is already registered`));
    expect(explainAddPackageError(parsed(["[ERROR] Package (p) already exists."]), "/tmp/x.tgz")).toMatch(/already registered \(Package \(p\) already exists\.\)/);
    expect(explainAddPackageError(parsed(["[ERROR] Package file (./x.tgz) does not exist."]), "/tmp/x.tgz")).toBe(
      "the coordinator refused to add the package: Package file (./x.tgz) does not exist.",
    );
    expect(explainAddPackageError(parsed(["Package Name : p"]), "/tmp/x.tgz")).toBeNull();
  });
});
