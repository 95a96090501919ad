"use client";

import { useState } from "react";
import { ENGINE_SPECS, ENGINES, type EngineName } from "@/lib/inventory/engines";
import { ApiForm, type FieldDef } from "./api-form";

type ClusterValues = { id?: string; name: string; engine: EngineName; version: string; description: string; settings: Record<string, string | number> };

export function ClusterForm({ initial }: { initial?: ClusterValues }) {
  const [engine, setEngine] = useState<EngineName>(initial?.engine ?? "MACHBASE");
  const spec = ENGINE_SPECS[engine];
  const settingKeys = Object.keys(spec.settings.shape);
  const fields: FieldDef[] = [
    { name: "name", label: "Name", required: true, defaultValue: initial?.name, placeholder: "e.g. mach-prod", hint: "letters, digits, . _ - (no spaces)" },
    { name: "engine", label: "Engine", type: "select", required: true, defaultValue: engine, options: ENGINES.map((e) => ({ value: e, label: ENGINE_SPECS[e].label })) },
    { name: "version", label: "Engine version", required: true, defaultValue: initial?.version, placeholder: spec.versionHint },
    ...settingKeys.map((key): FieldDef => ({
      name: `settings.${key}`,
      label: key,
      defaultValue: initial?.engine === engine ? initial.settings[key] : undefined,
      required: !spec.settings.shape[key]?.safeParse(undefined).success,
    })),
    { name: "description", label: "Description", type: "textarea", defaultValue: initial?.description },
  ];
  return (
    <ApiForm
      method={initial?.id ? "PUT" : "POST"}
      url={initial?.id ? `/api/v1/clusters/${initial.id}` : "/api/v1/clusters"}
      fields={fields}
      submitLabel={initial?.id ? "Save cluster" : "Create cluster"}
      redirectTo={(data) => `/clusters/${(data as { id: string }).id}`}
      onChange={(name, value) => {
        if (name === "engine") setEngine(value as EngineName);
      }}
      testId="cluster-form"
    />
  );
}
