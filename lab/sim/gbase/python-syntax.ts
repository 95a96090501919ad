// The sliver of Python 2 the GBase procedure needs: `import NAME`, `print EXPR`, and expressions
// built from names, integers, attribute access and calls. Anything else is a SyntaxError.

export type Expr =
  | { kind: "name"; name: string }
  | { kind: "int"; value: number }
  | { kind: "attr"; target: Expr; name: string }
  | { kind: "call"; callee: Expr; args: Expr[] };

export type Statement =
  | { kind: "import"; modules: string[] }
  | { kind: "print"; value: Expr | null }
  | { kind: "expr"; value: Expr };

export type SyntaxFault = { kind: "SyntaxError" | "IndentationError"; message: string; column: number };

type Token = { kind: "name" | "int" | "op" | "end"; text: string; column: number };

function tokenize(src: string): Token[] | SyntaxFault {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i] ?? "";
    if (ch === " " || ch === "\t") {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    const int = /^\d+/.exec(rest);
    if (name) tokens.push({ kind: "name", text: name[0], column: i });
    else if (int) tokens.push({ kind: "int", text: int[0], column: i });
    else if ("().,".includes(ch)) tokens.push({ kind: "op", text: ch, column: i });
    else return { kind: "SyntaxError", message: "invalid syntax", column: i };
    i += (name?.[0] ?? int?.[0] ?? ch).length;
  }
  tokens.push({ kind: "end", text: "", column: src.length });
  return tokens;
}

const KEYWORDS = new Set(["and", "as", "assert", "break", "class", "continue", "def", "del", "elif", "else", "except", "exec", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "not", "or", "pass", "print", "raise", "return", "try", "while", "with", "yield"]);

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}
  private peek(): Token {
    return this.tokens[this.at] ?? { kind: "end", text: "", column: 0 };
  }
  private take(): Token {
    const t = this.peek();
    this.at++;
    return t;
  }
  // CPython 2.7 puts the caret under the last character of the offending token.
  private fault(t: Token = this.peek()): SyntaxFault {
    if (t.kind === "end") return { kind: "SyntaxError", message: "unexpected EOF while parsing", column: t.column };
    return { kind: "SyntaxError", message: "invalid syntax", column: t.column + t.text.length - 1 };
  }

  statement(): Statement | SyntaxFault {
    const first = this.peek();
    let st: Statement | SyntaxFault;
    if (first.kind === "name" && first.text === "import") {
      this.take();
      const modules: string[] = [];
      do {
        const m = this.take();
        if (m.kind !== "name" || KEYWORDS.has(m.text)) return this.fault(m);
        modules.push(m.text);
      } while (this.peek().text === "," && this.take());
      st = { kind: "import", modules };
    } else if (first.kind === "name" && first.text === "print") {
      this.take();
      if (this.peek().kind === "end") st = { kind: "print", value: null };
      else {
        const value = this.expr();
        st = isFault(value) ? value : { kind: "print", value };
      }
    } else {
      const value = this.expr();
      st = isFault(value) ? value : { kind: "expr", value };
    }
    if (isFault(st)) return st;
    return this.peek().kind === "end" ? st : this.fault();
  }

  private expr(): Expr | SyntaxFault {
    const t = this.take();
    let e: Expr;
    if (t.kind === "int") e = { kind: "int", value: Number(t.text) };
    else if (t.kind === "name" && !KEYWORDS.has(t.text)) e = { kind: "name", name: t.text };
    else if (t.text === "(") {
      const inner = this.expr();
      if (isFault(inner)) return inner;
      if (this.take().text !== ")") return this.fault(this.tokens[this.at - 1]);
      e = inner;
    } else return this.fault(t);
    for (;;) {
      if (this.peek().text === ".") {
        this.take();
        const n = this.take();
        if (n.kind !== "name" || KEYWORDS.has(n.text)) return this.fault(n);
        e = { kind: "attr", target: e, name: n.text };
      } else if (this.peek().text === "(") {
        this.take();
        const args: Expr[] = [];
        while (this.peek().text !== ")") {
          const a = this.expr();
          if (isFault(a)) return a;
          args.push(a);
          if (this.peek().text === ",") this.take();
          else if (this.peek().text !== ")") return this.fault();
        }
        this.take();
        e = { kind: "call", callee: e, args };
      } else return e;
    }
  }
}

export function isFault(x: Expr | Statement | SyntaxFault): x is SyntaxFault {
  return x.kind === "SyntaxError" || x.kind === "IndentationError";
}

export const isLineFault = (x: Statement[] | SyntaxFault): x is SyntaxFault => !Array.isArray(x);

/** One physical line → its `;`-separated statements (comments stripped). */
export function parseLine(line: string): Statement[] | SyntaxFault {
  const hash = line.indexOf("#");
  const code = hash >= 0 ? line.slice(0, hash) : line;
  if (code.trim() === "") return [];
  if (/^[ \t]/.test(code)) return { kind: "IndentationError", message: "unexpected indent", column: 0 };
  const statements: Statement[] = [];
  let offset = 0;
  const pieces = code.split(";");
  for (const [i, piece] of pieces.entries()) {
    const last = i === pieces.length - 1;
    if (piece.trim() === "" && last && i > 0) break; // a trailing `;` is allowed
    const tokens = tokenize(piece);
    if (!Array.isArray(tokens)) return { ...tokens, column: tokens.column + offset };
    const st = new Parser(tokens).statement();
    if (isFault(st)) return { ...st, column: st.column + offset };
    statements.push(st);
    offset += piece.length + 1;
  }
  return statements;
}
