import type { CfgEntry, CfgFile } from "./types";

export function renderCfgEntry(e: Pick<CfgEntry, "key" | "value" | "comment">, style: "compact" | "spaced" = "compact"): string {
  const assign = style === "spaced" ? `${e.key} = ${e.value}` : `${e.key}=${e.value}`;
  return e.comment !== undefined ? `${assign} #${e.comment}` : assign;
}

/** Entries only, one per line in order; comment-only lines are not part of the model. */
export function renderCfg(cfg: CfgFile, style: "compact" | "spaced" = "compact"): string {
  return cfg.entries.map((e) => `${renderCfgEntry(e, style)}\n`).join("");
}
