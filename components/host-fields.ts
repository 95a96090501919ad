import type { FieldDef } from "./api-form";

type HostValues = { name: string; address: string; sshPort: number; username: string; credentialId: string | null; runsMwaOrCollector: boolean };

export function hostFields(credentials: { id: string; name: string; kind: string }[], initial?: HostValues): FieldDef[] {
  return [
    { name: "name", label: "Name", required: true, defaultValue: initial?.name, placeholder: "db-node-1" },
    { name: "address", label: "Address", required: true, defaultValue: initial?.address, placeholder: "10.0.0.5 or db1.example.com" },
    { name: "sshPort", label: "SSH port", type: "number", defaultValue: initial?.sshPort ?? 22 },
    { name: "username", label: "SSH user", required: true, defaultValue: initial?.username, placeholder: "machbase" },
    {
      name: "credentialId",
      label: "Credential",
      type: "select",
      defaultValue: initial?.credentialId ?? "",
      options: [{ value: "", label: "(none yet)" }, ...credentials.map((c) => ({ value: c.id, label: `${c.name} (${c.kind === "SSH_KEY" ? "SSH key" : "password"})` }))],
    },
    { name: "runsMwaOrCollector", label: "Runs Machbase MWA or a Collector", type: "checkbox", defaultValue: initial?.runsMwaOrCollector ?? false },
  ];
}
