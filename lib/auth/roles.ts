import { z } from "zod";

export const ROLES = ["ADMIN", "DBA", "LEAD", "AUDITOR"] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const PERMISSIONS = [
  "inventory:read",
  "inventory:write",
  "hosts:trust",
  "credentials:write",
  "users:manage",
  "audit:read",
  "runs:read",
  "runs:operate",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  ADMIN: PERMISSIONS,
  DBA: ["inventory:read", "inventory:write", "hosts:trust", "credentials:write", "runs:read", "runs:operate"],
  LEAD: ["inventory:read", "runs:read"],
  // Auditors review every action ever taken, runs included.
  AUDITOR: ["audit:read", "runs:read"],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  ADMIN: "users, credentials, everything",
  DBA: "inventory, credentials and procedures",
  LEAD: "read-only cluster views",
  AUDITOR: "read-only audit log",
};
