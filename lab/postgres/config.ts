// postgresql.conf additions and pg_hba.conf for a lab server. Settings that differ per host
// (listen address, socket dir) live in keel-host.conf, included from postgresql.conf, so a standby
// cloned with pg_basebackup keeps the shared settings and only that one file is rewritten for it.
import type { PgServer } from "../estate/definition";
import { PG_PORT } from "../estate/definition";

export const HOST_CONF = "keel-host.conf";

export function sharedConf(major = "15"): string {
  return [
    "",
    "# ---- Keel lab ----",
    "wal_level = replica",
    "max_wal_senders = 10",
    "max_replication_slots = 10",
    // wal_keep_size replaced wal_keep_segments (16 MB each) in 13.
    Number(major) >= 13 ? "wal_keep_size = '64MB'" : "wal_keep_segments = 4",
    // pg_hba.conf says scram-sha-256; before 14 passwords were stored as md5 unless told.
    ...(Number(major) < 14 ? ["password_encryption = 'scram-sha-256'"] : []),
    "hot_standby = on",
    // Needed by pg_rewind for the fail-back procedure (issue 5).
    "wal_log_hints = on",
    "shared_buffers = '16MB'",
    "max_connections = 30",
    "logging_collector = off",
    `include_if_exists '${HOST_CONF}'`,
    "",
  ].join("\n");
}

export function hostConf(s: PgServer): string {
  return [`listen_addresses = '${s.address}'`, `port = ${PG_PORT}`, `unix_socket_directories = '${s.socketDir}'`, ""].join("\n");
}

export const REPLICATION_ROLE = "replicator";

/**
 * Both addresses of the pair may connect (roles swap on fail-over). On one machine every loopback
 * connection leaves from 127.0.0.1 whatever lab host it is made "on", so that source is allowed too.
 */
export function hbaConf(addresses: readonly string[], replication: boolean): string {
  const sources = [...new Set([...addresses, "127.0.0.1"])].map((a) => `${a}/32`);
  return [
    "# Keel lab",
    "local   all             all                                     trust",
    "local   replication     all                                     trust",
    ...(replication ? sources.map((s) => `host    replication     ${REPLICATION_ROLE}      ${s.padEnd(24)}scram-sha-256`) : []),
    ...sources.map((s) => `host    all             all             ${s.padEnd(24)}scram-sha-256`),
    "",
  ].join("\n");
}
