import type { Size } from "./types";

const UNIT_SHIFT: Record<string, number> = { K: 10, M: 20, G: 30, T: 40 };

/** `2G`, `512M`, `8k`, `50MB` → bytes (binary units, as Tibero uses); undefined when not a size. */
export function parseSize(text: string): Size | undefined {
  const m = /^(\d+)([KMGT])B?$/i.exec(text.trim());
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  const shift = UNIT_SHIFT[m[2].toUpperCase()];
  if (shift === undefined) return undefined;
  const bytes = Number(m[1]) * 2 ** shift;
  if (!Number.isSafeInteger(bytes)) return undefined;
  return { bytes, text };
}
