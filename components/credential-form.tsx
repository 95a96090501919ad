"use client";

import { useState } from "react";
import { ApiForm, type FieldDef } from "./api-form";

export function CredentialForm() {
  const [kind, setKind] = useState<"SSH_KEY" | "PASSWORD">("SSH_KEY");
  const fields: FieldDef[] = [
    { name: "name", label: "Name", required: true, placeholder: "machbase-ops-key" },
    { name: "kind", label: "Kind", type: "select", defaultValue: kind, options: [{ value: "SSH_KEY", label: "SSH private key" }, { value: "PASSWORD", label: "Password" }] },
    kind === "SSH_KEY"
      ? { name: "secret", label: "Private key", type: "textarea", required: true, placeholder: "-----BEGIN OPENSSH PRIVATE KEY-----" }
      : { name: "secret", label: "Password", type: "password", required: true },
    ...(kind === "SSH_KEY" ? [{ name: "passphrase", label: "Passphrase (if the key has one)", type: "password" } satisfies FieldDef] : []),
  ];
  return (
    <ApiForm
      method="POST"
      url="/api/v1/credentials"
      fields={fields}
      submitLabel="Save credential"
      testId="credential-form"
      onChange={(name, value) => { if (name === "kind") setKind(value === "PASSWORD" ? "PASSWORD" : "SSH_KEY"); }}
    />
  );
}
