import { Badge } from "../badge";

const TONE: Record<string, "good" | "warn" | "bad" | "info" | "neutral"> = {
  RUNNING: "info", WAITING: "warn", INTERRUPTED: "bad", SUCCEEDED: "good", FAILED: "bad", CANCELLED: "neutral", ABORTED: "bad",
  PENDING: "neutral", MARKED_DONE: "warn", SKIPPED: "neutral",
};

export function RunStateBadge({ state }: { state: string }) {
  return <Badge tone={TONE[state] ?? "neutral"}>{state.toLowerCase().replace("_", " ")}</Badge>;
}
