"use client";

import { useState } from "react";
import { ENGINE_SPECS, type EngineName } from "@/lib/inventory/engines";
import { ApiForm } from "./api-form";

export function NodeForm(props: { clusterId: string; engine: EngineName; groups: { id: string; name: string }[]; hosts: { id: string; label: string }[] }) {
  const spec = ENGINE_SPECS[props.engine];
  const types = Object.keys(spec.nodeTypes);
  const [type, setType] = useState(types[0] ?? "");
  const roles = spec.nodeTypes[type] ?? [""];
  return (
    <ApiForm
      method="POST"
      url={`/api/v1/clusters/${props.clusterId}/nodes`}
      submitLabel="Add node"
      testId="node-form"
      onChange={(name, value) => { if (name === "type") setType(value); }}
      fields={[
        { name: "type", label: "Node type", type: "select", defaultValue: type, options: types.map((t) => ({ value: t, label: t })) },
        { name: "name", label: "Node name", required: true, placeholder: spec.nodeNameHint },
        { name: "role", label: "Role", type: "select", options: roles.map((r) => ({ value: r, label: r || "(none)" })) },
        { name: "groupId", label: "Group", type: "select", options: [{ value: "", label: "(no group)" }, ...props.groups.map((g) => ({ value: g.id, label: g.name }))] },
        { name: "hostId", label: "Host", type: "select", required: true, options: [{ value: "", label: "choose a host…" }, ...props.hosts.map((h) => ({ value: h.id, label: h.label }))] },
      ]}
    />
  );
}
