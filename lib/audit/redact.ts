const SECRET_KEY = /pass(word|phrase)?|secret|private.?key|token|sealed/i;

/** Audit payloads never carry secrets: any key that names one is replaced, however deep. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? "[redacted]" : redact(v)]),
    );
  }
  return value;
}
