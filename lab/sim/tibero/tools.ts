import { main as prsAdm } from "../prosync/prs-adm";
import { main as cmrctl } from "./cmrctl";
import type { ToolContext, ToolResult } from "./context";
import { main as tbboot } from "./tbboot";
import { main as tbcm } from "./tbcm";
import { main as tbdown } from "./tbdown";
import { main as tbsql } from "./tbsql";

/** Every simulated command by its executable name, for in-process runs (tests, the lab's own scripts). */
export const TOOLS: Record<string, (ctx: ToolContext) => Promise<ToolResult>> = {
  tbcm,
  tbboot,
  tbdown,
  tbsql,
  cmrctl,
  prs_adm: prsAdm,
};
