// A small recogniser for the statements seed 001 runs through tbsql. It is lenient about clauses it
// does not need (AUTOEXTEND, EXTENT MANAGEMENT …) and strict about the ones the rules depend on.

export type LogGroupSpec = { group: number; files: string[]; size: string };

export type Statement =
  | {
      kind: "create-database";
      name: string;
      sysPassword: string | undefined;
      maxInstances: number | undefined;
      logGroups: LogGroupSpec[];
      undoTablespace: string | undefined;
      tempTablespace: string | undefined;
    }
  | { kind: "create-tablespace"; name: string; tsKind: "permanent" | "undo" | "temporary"; files: string[] }
  | { kind: "add-logfile"; thread: number; groups: LogGroupSpec[] }
  | { kind: "enable-thread"; thread: number }
  | { kind: "disable-thread"; thread: number }
  | { kind: "select"; from: string }
  | { kind: "exit" };

type Token = { text: string; kind: "word" | "string" | "quoted-ident" | "punct" };

export function tokenize(sql: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] ?? "";
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "-" && sql[i + 1] === "-") {
      const nl = sql.indexOf("\n", i);
      i = nl < 0 ? sql.length : nl;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const close = sql.indexOf(ch, i + 1);
      if (close < 0) return `unterminated ${ch === "'" ? "string literal" : "quoted identifier"}`;
      tokens.push({ text: sql.slice(i + 1, close), kind: ch === "'" ? "string" : "quoted-ident" });
      i = close + 1;
      continue;
    }
    if (/[(),;=*]/.test(ch)) {
      tokens.push({ text: ch, kind: "punct" });
      i++;
      continue;
    }
    const m = /^[A-Za-z0-9_$#.<>/]+/.exec(sql.slice(i));
    if (!m) return `unexpected character '${ch}'`;
    tokens.push({ text: m[0], kind: "word" });
    i += m[0].length;
  }
  return tokens;
}

class Cursor {
  constructor(
    private readonly tokens: Token[],
    public pos = 0,
  ) {}
  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }
  isWord(...words: string[]): boolean {
    return words.every((w, k) => {
      const t = this.peek(k);
      return t?.kind === "word" && t.text.toUpperCase() === w;
    });
  }
  eatWord(...words: string[]): boolean {
    if (!this.isWord(...words)) return false;
    this.pos += words.length;
    return true;
  }
  eatPunct(p: string): boolean {
    const t = this.peek();
    if (t?.kind === "punct" && t.text === p) {
      this.pos++;
      return true;
    }
    return false;
  }
  next(): Token | undefined {
    return this.tokens[this.pos++];
  }
  done(): boolean {
    return this.pos >= this.tokens.length;
  }
  /** Moves to the next occurrence of the word sequence; false (and no move) when absent. */
  seek(...words: string[]): boolean {
    for (let p = this.pos; p < this.tokens.length; p++) {
      const probe = new Cursor(this.tokens, p);
      if (probe.isWord(...words)) {
        this.pos = p + words.length;
        return true;
      }
    }
    return false;
  }
}

function identifier(c: Cursor): string | undefined {
  const t = c.next();
  if (!t || (t.kind !== "word" && t.kind !== "quoted-ident")) return undefined;
  return t.kind === "word" ? t.text.toUpperCase() : t.text;
}

function integer(c: Cursor): number | undefined {
  const t = c.next();
  return t?.kind === "word" && /^\d+$/.test(t.text) ? Number(t.text) : undefined;
}

function fileList(c: Cursor): string[] | string {
  if (c.eatPunct("(")) {
    const files: string[] = [];
    do {
      const t = c.next();
      if (t?.kind !== "string") return "expected a file name in quotes";
      files.push(t.text);
    } while (c.eatPunct(","));
    if (!c.eatPunct(")")) return "expected ')' after the member list";
    return files;
  }
  const t = c.next();
  if (t?.kind !== "string") return "expected a log file name in quotes";
  return [t.text];
}

/** `GROUP n 'file' [SIZE s] [, GROUP …]` */
function logGroups(c: Cursor): LogGroupSpec[] | string {
  const groups: LogGroupSpec[] = [];
  do {
    if (!c.eatWord("GROUP")) return "expected GROUP";
    const group = integer(c);
    if (group === undefined) return "expected a log group number after GROUP";
    const files = fileList(c);
    if (typeof files === "string") return files;
    let size = "";
    if (c.eatWord("SIZE")) size = c.next()?.text ?? "";
    groups.push({ group, files, size });
  } while (c.eatPunct(",") && c.isWord("GROUP"));
  return groups;
}

function datafiles(c: Cursor): string[] {
  const files: string[] = [];
  for (let t = c.next(); t; t = c.next()) if (t.kind === "string") files.push(t.text);
  return files;
}

function createDatabase(c: Cursor): Statement | string {
  const nameTok = c.peek();
  let name = "";
  if (nameTok && (nameTok.kind === "quoted-ident" || (nameTok.kind === "word" && !["USER", "MAXINSTANCES", "LOGFILE"].includes(nameTok.text.toUpperCase())))) {
    name = nameTok.text;
    c.next();
  }
  const start = c.pos;
  const find = (...words: string[]): boolean => {
    c.pos = start;
    return c.seek(...words);
  };
  const sysPassword = find("IDENTIFIED", "BY") ? c.next()?.text : undefined;
  let maxInstances: number | undefined;
  if (find("MAXINSTANCES")) {
    maxInstances = integer(c);
    if (maxInstances === undefined || maxInstances < 1) return "MAXINSTANCES needs a positive integer";
  }
  let groups: LogGroupSpec[] = [];
  if (find("LOGFILE")) {
    const parsed = logGroups(c);
    if (typeof parsed === "string") return parsed;
    groups = parsed;
  }
  const undoTablespace = find("UNDO", "TABLESPACE") ? identifier(c) : undefined;
  const tempTablespace = find("TEMPORARY", "TABLESPACE") ? identifier(c) : undefined;
  return { kind: "create-database", name, sysPassword, maxInstances, logGroups: groups, undoTablespace, tempTablespace };
}

export function parseStatement(sql: string): Statement | string {
  const tokens = tokenize(sql);
  if (typeof tokens === "string") return tokens;
  const c = new Cursor(tokens);
  if (c.eatWord("EXIT") || c.eatWord("QUIT")) return { kind: "exit" };
  if (c.eatWord("CREATE", "DATABASE")) return createDatabase(c);
  for (const [words, tsKind] of [
    [["CREATE", "UNDO", "TABLESPACE"], "undo"],
    [["CREATE", "TEMPORARY", "TABLESPACE"], "temporary"],
    [["CREATE", "TABLESPACE"], "permanent"],
  ] as const) {
    if (c.eatWord(...words)) {
      const name = identifier(c);
      if (!name) return "expected a tablespace name";
      return { kind: "create-tablespace", name, tsKind, files: datafiles(c) };
    }
  }
  if (c.eatWord("ALTER", "DATABASE")) {
    if (c.eatWord("ADD", "LOGFILE")) {
      let thread = 0;
      if (c.eatWord("THREAD")) {
        const n = integer(c);
        if (n === undefined) return "expected a thread number after THREAD";
        thread = n;
      }
      const groups = logGroups(c);
      if (typeof groups === "string") return groups;
      return { kind: "add-logfile", thread, groups };
    }
    const enable = c.eatWord("ENABLE");
    if (enable || c.eatWord("DISABLE")) {
      c.eatWord("PUBLIC");
      if (!c.eatWord("THREAD")) return "expected THREAD";
      const thread = integer(c);
      if (thread === undefined) return "expected a thread number";
      return { kind: enable ? "enable-thread" : "disable-thread", thread };
    }
    return "unsupported ALTER DATABASE clause";
  }
  if (c.eatWord("SELECT")) {
    if (!c.seek("FROM")) return "expected FROM";
    const from = c.next()?.text.toUpperCase();
    if (!from) return "expected a table after FROM";
    return { kind: "select", from };
  }
  return "unsupported statement";
}

/**
 * Splits tbsql input into statements: a line ending in `;`, a lone `/`, or — as in the seed's
 * transcripts — a blank line after a statement ends one. `@file` lines are returned as includes.
 */
export function splitScript(text: string): Array<{ sql: string } | { include: string }> {
  const out: Array<{ sql: string } | { include: string }> = [];
  let buffer: string[] = [];
  const flush = () => {
    const sql = buffer.join("\n").trim();
    if (sql !== "") out.push({ sql });
    buffer = [];
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s*SQL>\s?/, "");
    const trimmed = line.trim();
    if (buffer.length === 0 && trimmed.startsWith("@")) {
      out.push({ include: trimmed.slice(1).trim() });
      continue;
    }
    if (trimmed === "/") {
      flush();
      continue;
    }
    if (trimmed === "") {
      flush();
      continue;
    }
    if (trimmed.endsWith(";")) {
      buffer.push(line.replace(/;\s*$/, ""));
      flush();
      continue;
    }
    buffer.push(line);
    if (buffer.length === 1 && /^(EXIT|QUIT)$/i.test(trimmed)) flush();
  }
  flush();
  return out;
}
