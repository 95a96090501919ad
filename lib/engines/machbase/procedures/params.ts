// Parameter fields more than one procedure asks for.
import { z } from "zod";

import { HomeDirSchema, PackageFileSchema } from "../commands";

export const packageFileField = PackageFileSchema.meta({ label: "Package file", help: "Absolute path of the .tgz on the host being upgraded" });

export const backupDirField = HomeDirSchema.optional().meta({
  label: "Backup directory",
  help: "Leave empty to skip the backup; otherwise dbs/ and conf/ are archived here before the package is extracted",
});

// Fixed when the plan is made so the archive path in the plan is the one written.
export const backupAtField = z.iso
  .datetime({ message: "an ISO time such as 2026-11-23T12:00:00Z" })
  .default(() => new Date().toISOString())
  .meta({ label: "Backup time", help: "Names the backup archive; defaults to now" });
