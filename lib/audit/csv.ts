import type { AuditEventView } from "./query";

const COLUMNS = ["id", "at", "actorEmail", "actorRole", "action", "outcome", "clusterName", "hostName", "nodeName", "payload", "hash"] as const;

function cell(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
  // Quote always; double inner quotes. A leading =,+,-,@ is prefixed so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function csvHeader(): string {
  return COLUMNS.join(",") + "\n";
}

export function csvRow(e: AuditEventView): string {
  return COLUMNS.map((c) => cell(e[c])).join(",") + "\n";
}
