import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTip, tipGet } from "./parse-tip";
import { renderTip } from "./render-tip";
import { parseSize } from "./size";
import type { TipFile } from "./types";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
const MiB = 1024 * 1024;

describe("tip files", () => {
  it("parses the seed's $TB_SID.tip with sizes in bytes and line numbers", () => {
    const r = parseTip(fixture("tb_sid.tip"));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.warnings).toEqual([]);
    expect(r.value.entries.map((e) => [e.key, e.value, e.lineNumber])).toEqual([
      ["MEMORY_TARGET", "6144M", 1],
      ["TOTAL_SHM_SIZE", "4096M", 2],
      ["DB_CACHE_SIZE", "2048M", 3],
      ["CLUSTER_DATABASE", "Y", 4],
      ["THREAD", "0", 5],
      ["UNDO_TABLESPACE", "UNDO0", 6],
      ["LOCAL_CLUSTER_ADDR", "192.168.1.1", 7],
      ["LOCAL_CLUSTER_PORT", "12345", 8],
      ["CM_PORT", "30000", 9],
    ]);
    expect(tipGet(r.value, "MEMORY_TARGET")?.size).toEqual({ bytes: 6144 * MiB, text: "6144M" });
    expect(tipGet(r.value, "DB_CACHE_SIZE")?.size?.bytes).toBe(2048 * MiB);
    expect(tipGet(r.value, "THREAD")?.size).toBeUndefined();
  });

  it("parses the THREAD/UNDO_TABLESPACE excerpt of seed 001 step 3", () => {
    const r = parseTip(fixture("tip-thread0-undo0.tip"));
    expect(r.ok && r.value.entries.map((e) => [e.key, e.value])).toEqual([
      ["THREAD", "0"],
      ["UNDO_TABLESPACE", "UNDO0"],
    ]);
  });

  it("parses cm_tibero1.tip: CM_ID first, trailing comment kept, commented-out keys ignored", () => {
    const r = parseTip(fixture("cm_tibero1.tip"));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.entries.map((e) => e.key)).toEqual(["CM_ID", "CM_NAME", "CM_UI_PORT", "CM_RESOURCE_FILE", "CM_LOG_DEST", "CM_GUARD_LOG_DEST"]);
    expect(r.value.entries[0]).toEqual({ key: "CM_ID", value: "0", raw: "0", quoted: false, comment: " 여기에 CM_ID를 추가한다.", lineNumber: 7 });
    expect(tipGet(r.value, "CM_UI_PORT")).toMatchObject({ value: "8645", lineNumber: 9 });
    expect(tipGet(r.value, "CM_RESOURCE_FILE")?.value).toBe("/home/tibero/tibero/tibero7/cmfile/tibero/cm_tibero1.res");
    expect(tipGet(r.value, "CM_HEARTBEAT_EXPIRE")).toBeUndefined();
    expect(r.value.otherLines).toHaveLength(15);
    expect(renderTip(r.value)).toBe(fixture("cm_tibero1.tip"));
  });

  it("handles quotes, units and duplicates", () => {
    const r = parseTip(`DB_CREATE_FILE_DEST="/tbdata/ac # not a comment" # real comment\nX=2G\nX=512m\n`);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.entries[0]).toMatchObject({ value: "/tbdata/ac # not a comment", raw: '"/tbdata/ac # not a comment"', quoted: true, comment: " real comment" });
    expect(tipGet(r.value, "X")).toMatchObject({ value: "512m", size: { bytes: 512 * MiB, text: "512m" }, lineNumber: 3 });
    expect(r.value.warnings).toEqual([{ message: "duplicate key X (first at line 2)", lineNumber: 3 }]);
    expect(parseSize("3G")?.bytes).toBe(3 * 1024 * MiB);
    expect(parseSize("50MB")?.bytes).toBe(50 * MiB);
    expect(parseSize("fast")).toBeUndefined();
  });

  it("names the garbled line", () => {
    expect(parseTip("THREAD=0\nCM_HEARTBEAT_EXPIRE\n")).toEqual({ ok: false, error: { message: "expected KEY=VALUE or a # comment", line: "CM_HEARTBEAT_EXPIRE", lineNumber: 2 } });
    expect(parseTip('A=1\n\nB="open\n')).toEqual({ ok: false, error: { message: 'unterminated " quote', line: 'B="open', lineNumber: 3 } });
    expect(parseTip('B="x" y\n')).toMatchObject({ ok: false, error: { lineNumber: 1 } });
  });

  it("parse(render(x)) == x", () => {
    const key = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,20}$/);
    const plain = fc.stringMatching(/^[A-Za-z0-9_./:-]{0,20}$/).map((v) => ({ raw: v, value: v, quoted: false }));
    const quoted = fc.stringMatching(/^[A-Za-z0-9_ #./:-]{0,20}$/).map((v) => ({ raw: `"${v}"`, value: v, quoted: true }));
    const comment = fc.option(fc.stringMatching(/^[^\n\r]{0,20}$/), { nil: undefined });
    const item = fc.oneof(
      fc.record({ kind: fc.constant("entry" as const), key, v: fc.oneof(plain, quoted), comment }),
      fc.record({ kind: fc.constant("other" as const), text: fc.constantFrom("", "# comment", "#CM_FENCE=Y", "   ") }),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 12 }), (items) => {
        const file: TipFile = { entries: [], otherLines: [] };
        items.forEach((it, i) => {
          if (it.kind === "other") file.otherLines.push({ text: it.text, lineNumber: i + 1 });
          else {
            const entry: TipFile["entries"][number] = { key: it.key, ...it.v, lineNumber: i + 1 };
            const size = it.v.quoted ? undefined : parseSize(it.v.value);
            if (size) entry.size = size;
            if (it.comment !== undefined) entry.comment = it.comment;
            file.entries.push(entry);
          }
        });
        const r = parseTip(renderTip(file));
        if (!r.ok) throw new Error(`${r.error.message} @${r.error.lineNumber}: ${r.error.line}`);
        expect({ entries: r.value.entries, otherLines: r.value.otherLines }).toEqual(file);
      }),
    );
  });
});
