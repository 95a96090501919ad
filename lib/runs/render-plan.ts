// The dry run as text: every step in order, each command exactly as it will be sent (quoted by
// lib/ssh/quote.ts, the same function the SSH layer uses) and the host it goes to.
import { quoteArgv } from "../ssh/quote";
import type { Plan, PlanStep } from "./plan-schema";

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function where(step: Extract<PlanStep, { host: unknown }>): string {
  const node = step.host.nodeName ? ` (${step.host.nodeName})` : "";
  return `on ${step.host.hostName} [${step.host.hostAddress}]${node}`;
}

function stdinLines(step: Extract<PlanStep, { host: unknown }>): string[] {
  if (!step.stdin) return [];
  const secret = step.stdin.credential ? [`   < (secret of credential ${step.stdin.credential})`] : [];
  const text = step.stdin.text ? step.stdin.text.replace(/\n$/, "").split("\n").map((line) => `   < ${line}`) : [];
  return [...secret, ...text];
}

function stepLines(step: PlanStep): string[] {
  const head = `${step.index + 1}. [${step.kind}] ${step.title}`;
  const help = step.help ? [`   if it fails: ${step.help}`] : [];
  switch (step.kind) {
    case "confirm":
      return [head, `   ${step.destructive ? "second DBA must approve" : "operator confirms"}: ${step.text}`, ...help];
    case "wait-until":
      return [
        head,
        `   ${where(step)}, every ${seconds(step.pollMs)} for up to ${seconds(step.timeoutMs)}:`,
        `   $ ${quoteArgv(step.argv)}`,
        ...stdinLines(step),
        ...help,
      ];
    case "action":
      return [
        head,
        `   ${where(step)}${step.idempotent ? "" : ", not idempotent"}:`,
        `   $ ${quoteArgv(step.argv)}`,
        ...stdinLines(step),
        ...(step.setsRoles.length > 0 ? [`   on success, inventory roles: ${step.setsRoles.map((r) => `${r.node} → ${r.role}`).join(", ")}`] : []),
        ...help,
      ];
    case "precheck":
    case "verify":
      return [head, `   ${where(step)}:`, `   $ ${quoteArgv(step.argv)}`, ...stdinLines(step), ...help];
  }
}

export function planAsText(plan: Plan): string {
  const approval = plan.requiresSecondDba ? "requires a second DBA's approval" : "no second approval";
  const lines = [`${plan.title} (${plan.procedureId}) — ${plan.steps.length} steps, ${plan.mutating ? "mutating" : "read-only"}, ${approval}`];
  let block: string | null = null;
  for (const step of plan.steps) {
    const current = step.item ? `${step.item.blockId}[${step.item.index}]` : null;
    if (current !== block && step.item) lines.push(`-- ${step.item.blockTitle}: ${step.item.label}`);
    block = current;
    lines.push(...stepLines(step));
  }
  return lines.join("\n") + "\n";
}
