// Seed "Package 등록": the package file is already on the coordinator's host; a file name registered
// before makes the tool fail, so it is looked for first.
import { z } from "zod";

import { defineProcedure, parsed } from "../../../runs/model";
import { addPackageArgv, listPackagesArgv, PackageNameSchema } from "../commands";
import { baseName, packageRegistered, registeredPackages, registrationConflict } from "../packages";
import { packageFileField } from "./params";
import { adminOutput, onPrimaryCoordinator } from "./shared";

export const packageRegistrationParameters = z.object({
  packageName: PackageNameSchema.meta({ label: "Package name", help: "The name --upgrade-node will use, e.g. new_package" }),
  packageFile: packageFileField.meta({
    label: "Package file",
    help: "Absolute path of the .tgz on the primary coordinator's host; the seed recommends the lightweight package",
  }),
});

export const packageRegistration = defineProcedure({
  id: "machbase.package-registration",
  engine: "MACHBASE",
  title: "Package registration",
  description: "Registers a package with the coordinator for broker and warehouse upgrades.",
  parameters: packageRegistrationParameters,
  mutating: true,
  approval: "none",
  steps: [
    {
      kind: "precheck",
      id: "no-duplicate",
      title: ({ params }) => `No package with the file name ${baseName(params.packageFile)} or the name ${params.packageName} is registered`,
      host: onPrimaryCoordinator(),
      argv: listPackagesArgv(),
      assert: parsed(adminOutput, (output, { params }) => {
        const list = registeredPackages(output);
        if (!list.ok) return list;
        const conflict = registrationConflict(list.packages, params);
        return conflict.ok ? conflict : { ok: false, reason: conflict.reason };
      }),
    },
    {
      kind: "action",
      id: "add-package",
      title: ({ params }) => `Register ${params.packageFile} as ${params.packageName}`,
      host: onPrimaryCoordinator(),
      argv: ({ params }) => addPackageArgv(params),
      idempotent: false,
      onFailure: ({ params }) =>
        `If the tool printed an [ERROR] that the file is already registered, someone registered ${baseName(params.packageFile)} after the precheck: ` +
        "nothing was added. Check --list-package and either upgrade with that package or rename the file and register again. " +
        "Any other error: check the file exists and is readable on the coordinator's host.",
    },
    {
      kind: "verify",
      id: "registered",
      title: ({ params }) => `${params.packageName} is listed`,
      host: onPrimaryCoordinator(),
      argv: listPackagesArgv(),
      assert: parsed(adminOutput, (output, { params }) => {
        const list = registeredPackages(output);
        return list.ok ? packageRegistered(list.packages, params.packageName) : list;
      }),
    },
  ],
});
