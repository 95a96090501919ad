import { Badge } from "./badge";

const TONE = { healthy: "good", degraded: "warn", down: "bad", unknown: "neutral" } as const;

export function HealthBadge({ health }: { health: string }) {
  return <span data-testid="health"><Badge tone={TONE[health as keyof typeof TONE] ?? "neutral"}>{health}</Badge></span>;
}
