import { z } from "zod";

/** Names Keel gives things (clusters, groups, hosts, credentials): no spaces, safe in any shell or URL. */
export const nameField = z
  .string({ error: "required" })
  .trim()
  .min(1, "required")
  .max(64, "at most 64 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "letters, digits, '.', '_' and '-' only, starting with a letter or digit (no spaces)");

export const idField = z.uuid("not a valid id");

/** An absolute POSIX path without shell-special characters (it is still quoted when used). */
export const absolutePath = z
  .string()
  .trim()
  .regex(/^\/[A-Za-z0-9._/+-]*$/, "an absolute path such as /home/machbase/coordinator (letters, digits, . _ / + - only)");

const hostnameRe = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const ipv4Re = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

export const hostAddress = z
  .string({ error: "required" })
  .trim()
  .min(1, "required")
  .refine((v) => ipv4Re.test(v) || (hostnameRe.test(v) && !/^\d+(\.\d+)*$/.test(v)), "an IPv4 address or a host name (e.g. 10.0.0.5 or db1.example.com)");

export const port = z.coerce
  .number({ error: "a port number" })
  .int("a whole number")
  .min(1, "between 1 and 65535")
  .max(65535, "between 1 and 65535");

/** `host:port`, as Machbase names its nodes (e.g. 192.168.0.10:5101). */
export const hostPort = z
  .string()
  .trim()
  .refine((v) => {
    const m = /^(.+):(\d{1,5})$/.exec(v);
    if (!m) return false;
    const p = Number(m[2]);
    return hostAddress.safeParse(m[1]).success && p >= 1 && p <= 65535;
  }, "host:port, e.g. 192.168.0.10:5101");

export const unixUser = z
  .string({ error: "required" })
  .trim()
  .regex(/^[a-z_][a-z0-9_-]{0,31}$/, "a Unix user name (lower case, digits, _ or -)");

export const optionalId = z.preprocess((v) => (v === "" || v === null ? undefined : v), idField.optional());
export const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());
