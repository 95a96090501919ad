// How gcadmin cell values map to typed values and back. Anything unrecognised stays as {unknown}.
import type { ClusterState, DataState, ServiceState, UnknownValue, VirtualClusterMode } from "./types";

export const textOf = (v: string | number | UnknownValue): string =>
  typeof v === "object" ? v.unknown : String(v);

export const isUnknown = (v: unknown): v is UnknownValue => typeof v === "object" && v !== null && "unknown" in v;

export function serviceStateOf(raw: string): ServiceState {
  return raw === "OPEN" || raw === "CLOSE" ? raw : { unknown: raw };
}

export function clusterStateOf(raw: string): ClusterState {
  return raw === "ACTIVE" ? raw : { unknown: raw };
}

export function virtualClusterModeOf(raw: string): VirtualClusterMode {
  return raw === "NORMAL" ? raw : { unknown: raw };
}

/** Non-negative integers within the safe range; everything else is kept as text. */
export function countOf(raw: string): DataState {
  return /^\d{1,15}$/.test(raw) ? Number(raw) : { unknown: raw };
}
