import { db } from "@/lib/db";

export async function listClusters() {
  const clusters = await db.cluster.findMany({
    orderBy: { name: "asc" },
    include: { _count: { select: { nodes: true, groups: true } } },
  });
  return clusters.map((c) => ({
    id: c.id,
    name: c.name,
    engine: c.engine,
    version: c.version,
    description: c.description,
    nodeCount: c._count.nodes,
    groupCount: c._count.groups,
    updatedAt: c.updatedAt.toISOString(),
  }));
}

export async function getCluster(id: string) {
  const cluster = await db.cluster.findUnique({
    where: { id },
    include: {
      groups: { orderBy: { name: "asc" } },
      nodes: { orderBy: [{ type: "asc" }, { name: "asc" }], include: { host: { select: { id: true, name: true, address: true, sshPort: true } }, group: { select: { id: true, name: true } } } },
    },
  });
  if (!cluster) return null;
  return {
    id: cluster.id,
    name: cluster.name,
    engine: cluster.engine,
    version: cluster.version,
    description: cluster.description,
    settings: cluster.settings as Record<string, string | number>,
    groups: cluster.groups.map((g) => ({ id: g.id, name: g.name })),
    nodes: cluster.nodes.map((n) => ({
      id: n.id,
      name: n.name,
      type: n.type,
      role: n.role,
      host: n.host,
      group: n.group,
    })),
  };
}

export async function listHosts() {
  const hosts = await db.host.findMany({
    orderBy: { name: "asc" },
    include: { credential: { select: { id: true, name: true, kind: true } }, _count: { select: { nodes: true } } },
  });
  return hosts.map((h) => ({
    id: h.id,
    name: h.name,
    address: h.address,
    sshPort: h.sshPort,
    username: h.username,
    credential: h.credential,
    hostKeyFingerprint: h.hostKeyFingerprint,
    hostKeyTrustedAt: h.hostKeyTrustedAt?.toISOString() ?? null,
    hostKeyTrustedBy: h.hostKeyTrustedBy,
    hostKeyMismatchFingerprint: h.hostKeyMismatchFingerprint,
    hostKeyMismatchAt: h.hostKeyMismatchAt?.toISOString() ?? null,
    runsMwaOrCollector: h.runsMwaOrCollector,
    nodeCount: h._count.nodes,
  }));
}

/** Credentials as the browser may see them: never the sealed secret. */
export async function listCredentials() {
  const credentials = await db.credential.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, kind: true, publicHint: true, updatedAt: true, _count: { select: { hosts: true } } },
  });
  return credentials.map((c) => ({ id: c.id, name: c.name, kind: c.kind, publicHint: c.publicHint, updatedAt: c.updatedAt.toISOString(), hostCount: c._count.hosts }));
}

export async function listUsers() {
  const users = await db.user.findMany({
    orderBy: { email: "asc" },
    select: { id: true, email: true, name: true, role: true, disabled: true, lockedUntil: true, createdAt: true },
  });
  return users.map((u) => ({ ...u, lockedUntil: u.lockedUntil?.toISOString() ?? null, createdAt: u.createdAt.toISOString() }));
}
