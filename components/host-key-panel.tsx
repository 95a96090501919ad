"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { z } from "zod";
import { callApi } from "./api-client";

const probeSchema = z.object({ fingerprint: z.string(), keyType: z.string(), pinned: z.string().nullable(), matchesPin: z.boolean() });
const testSchema = z.union([
  z.object({ ok: z.literal(true), output: z.string(), durationMs: z.number() }),
  z.object({ ok: z.literal(false), kind: z.string(), message: z.string() }),
]);

/**
 * Trusting a host key takes two explicit steps: fetch what the host presents, compare it out of band,
 * then trust exactly that fingerprint (the server asks the host again before pinning).
 */
export function HostKeyPanel(props: {
  hostId: string;
  pinned: string | null;
  trustedBy: string | null;
  trustedAt: string | null;
  mismatch: string | null;
  mismatchAt: string | null;
}) {
  const router = useRouter();
  const probe = useMutation({ mutationFn: async () => probeSchema.parse(await callApi("POST", `/api/v1/hosts/${props.hostId}/host-key/probe`, {})) });
  const trust = useMutation({
    mutationFn: (fingerprint: string) => callApi("POST", `/api/v1/hosts/${props.hostId}/host-key/trust`, { fingerprint }),
    onSuccess: () => {
      probe.reset();
      router.refresh();
    },
  });
  const test = useMutation({ mutationFn: async () => testSchema.parse(await callApi("POST", `/api/v1/hosts/${props.hostId}/test`, {})) });
  const seen = probe.data;

  return (
    <section className="card space-y-3" data-testid="host-key-panel">
      <h2 className="font-semibold">Host key</h2>
      {props.mismatch ? (
        <div role="alert" className="rounded border border-red-400 bg-red-50 p-2 text-red-900" data-testid="host-key-mismatch">
          <strong>Host key mismatch.</strong> On {props.mismatchAt?.replace("T", " ").slice(0, 19)} UTC the host presented{" "}
          <span className="font-mono">{props.mismatch}</span> instead of the pinned key. Keel refuses to connect until someone verifies the new key and trusts it.
        </div>
      ) : null}
      <p>
        Pinned:{" "}
        {props.pinned ? (
          <span className="font-mono" data-testid="pinned-fingerprint">{props.pinned}</span>
        ) : (
          <span className="text-amber-800">none — Keel will not connect until a key is trusted</span>
        )}
        {props.pinned && props.trustedBy ? <span className="text-slate-500"> (trusted by {props.trustedBy}, {props.trustedAt?.slice(0, 10)})</span> : null}
      </p>
      <div className="flex flex-wrap gap-2">
        <button type="button" className="btn" onClick={() => probe.mutate()} disabled={probe.isPending}>
          {probe.isPending ? "Contacting host…" : "Fetch host key"}
        </button>
        <button type="button" className="btn" onClick={() => test.mutate()} disabled={test.isPending || !props.pinned}>
          {test.isPending ? "Testing…" : "Test connection"}
        </button>
      </div>
      {probe.error ? <p role="alert" className="text-red-700">{probe.error.message}</p> : null}
      {seen ? (
        <div className="rounded border border-slate-300 bg-slate-50 p-2" data-testid="probed-key">
          <p>
            The host presents a <span className="font-mono">{seen.keyType}</span> key:
          </p>
          <p className="my-1 font-mono text-base" data-testid="probed-fingerprint">{seen.fingerprint}</p>
          {seen.matchesPin ? (
            <p className="text-emerald-800">This is the pinned key.</p>
          ) : (
            <>
              <p className="text-slate-700">Compare it with <span className="font-mono">ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub</span> on the host itself before trusting it.</p>
              <button type="button" className="btn btn-primary mt-2" onClick={() => trust.mutate(seen.fingerprint)} disabled={trust.isPending}>
                {trust.isPending ? "Pinning…" : "Trust this key"}
              </button>
            </>
          )}
          {trust.error ? <p role="alert" className="text-red-700">{trust.error.message}</p> : null}
        </div>
      ) : null}
      {test.data ? (
        test.data.ok ? (
          <p className="text-emerald-800" data-testid="test-result">Connected: {test.data.output} ({test.data.durationMs} ms)</p>
        ) : (
          <p role="alert" className="text-red-700" data-testid="test-result">{test.data.message}</p>
        )
      ) : null}
      {test.error ? <p role="alert" className="text-red-700">{test.error.message}</p> : null}
    </section>
  );
}
