// Package registration on the coordinator (--add-package / --list-package / --remove-package).
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { renderFields } from "../../../lib/engines/machbase/render";
import { failure, success, type CommandContext, type CommandOutcome } from "./context";
import type { SimPackage } from "./model";

/** machbase-ent-<release>-LINUX-X86-64-release[-lightweight].tgz → <release>. */
export function releaseFromFileName(fileName: string): string {
  return /^machbase-[a-z]+-(.+?)-LINUX/.exec(fileName)?.[1] ?? fileName.replace(/\.tgz$|\.tar\.gz$/, "");
}

function packageRecord(pkg: SimPackage): string[] {
  return renderFields(
    [
      { key: "Package Name", value: pkg.name },
      { key: "File Name", value: pkg.fileName },
      { key: "File Size", value: `${pkg.fileSize} bytes` },
    ],
    1,
  );
}

function records(packages: SimPackage[]): string[] {
  return packages.flatMap((pkg, i) => [...(i > 0 ? [" "] : []), ...packageRecord(pkg)]);
}

export function addPackage(ctx: CommandContext): CommandOutcome {
  const name = ctx.args.value;
  const filePath = ctx.args.options.get("file-name");
  if (!name) return failure("Package name is required (--add-package=NAME).");
  if (!filePath) return failure("Option --file-name is required with --add-package.");
  const fileName = path.basename(filePath);
  if (ctx.state.packages.some((p) => p.name === name)) return failure(`Package (${name}) already exists.`);
  // Seed: a package whose *file name* is already registered is refused, whatever its package name.
  const sameFile = ctx.state.packages.find((p) => p.fileName === fileName);
  if (sameFile) return failure(`Package file (${fileName}) is already registered as package (${sameFile.name}).`);
  const resolved = path.resolve(ctx.cwd, filePath);
  if (!existsSync(resolved)) return failure(`Package file (${filePath}) does not exist.`);
  const pkg: SimPackage = { name, fileName, fileSize: statSync(resolved).size, release: releaseFromFileName(fileName) };
  ctx.state.packages.push(pkg);
  return success(packageRecord(pkg));
}

export function listPackages(ctx: CommandContext): CommandOutcome {
  const only = ctx.args.value;
  const selected = only ? ctx.state.packages.filter((p) => p.name === only) : ctx.state.packages;
  if (only && selected.length === 0) return failure(`Package (${only}) does not exist.`);
  return success(records(selected));
}

export function removePackage(ctx: CommandContext): CommandOutcome {
  const name = ctx.args.value;
  if (!name) return failure("Package name is required (--remove-package=NAME).");
  const pkg = ctx.state.packages.find((p) => p.name === name);
  if (!pkg) return failure(`Package (${name}) does not exist.`);
  const user = ctx.state.nodes.find((n) => n.packageName === name);
  if (user) return failure(`Package (${name}) is used by node (${user.name}).`);
  ctx.state.packages = ctx.state.packages.filter((p) => p !== pkg);
  return success(packageRecord(pkg));
}
