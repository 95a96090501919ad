"use client";

import { useState } from "react";
import { ENGINE_SPECS, type EngineName } from "@/lib/inventory/engines";
import { ApiForm } from "./api-form";

type NodeValues = { id: string; name: string; type: string; role: string; groupId: string | null; hostId: string };

/** Adds a node, or edits one when `initial` is given; the role choices follow the chosen type. */
export function NodeForm(props: {
  clusterId: string;
  engine: EngineName;
  groups: { id: string; name: string }[];
  hosts: { id: string; label: string }[];
  initial?: NodeValues;
}) {
  const spec = ENGINE_SPECS[props.engine];
  const types = Object.keys(spec.nodeTypes);
  const [type, setType] = useState(props.initial?.type ?? types[0] ?? "");
  const roles = spec.nodeTypes[type] ?? [""];
  const editing = props.initial;
  return (
    <ApiForm
      method={editing ? "PUT" : "POST"}
      url={editing ? `/api/v1/nodes/${editing.id}` : `/api/v1/clusters/${props.clusterId}/nodes`}
      extra={editing ? { clusterId: props.clusterId } : undefined}
      redirectTo={editing ? `/clusters/${props.clusterId}` : undefined}
      submitLabel={editing ? "Save node" : "Add node"}
      testId="node-form"
      onChange={(name, value) => { if (name === "type") setType(value); }}
      fields={[
        { name: "type", label: "Node type", type: "select", defaultValue: type, options: types.map((t) => ({ value: t, label: t })) },
        { name: "name", label: "Node name", required: true, placeholder: spec.nodeNameHint, defaultValue: editing?.name },
        { name: "role", label: "Role", type: "select", defaultValue: editing?.role, options: roles.map((r) => ({ value: r, label: r || "(none)" })) },
        { name: "groupId", label: "Group", type: "select", defaultValue: editing?.groupId ?? "", options: [{ value: "", label: "(no group)" }, ...props.groups.map((g) => ({ value: g.id, label: g.name }))] },
        { name: "hostId", label: "Host", type: "select", required: true, defaultValue: editing?.hostId ?? "", options: [{ value: "", label: "choose a host…" }, ...props.hosts.map((h) => ({ value: h.id, label: h.label }))] },
      ]}
    />
  );
}
