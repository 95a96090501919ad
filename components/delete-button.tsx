"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiCallError, callApi } from "./api-client";

/**
 * Deleting takes two steps: open the confirmation, then confirm. With `confirmText`, the person must
 * type it (e.g. the cluster's name) before the button is enabled.
 */
export function DeleteButton(props: { url: string; what: string; confirmText?: string; redirectTo?: string; label?: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: () => callApi("DELETE", props.url, props.confirmText ? { confirmName: typed } : {}),
    onSuccess: () => {
      setOpen(false);
      if (props.redirectTo) router.push(props.redirectTo);
      router.refresh();
    },
    onError: (e) => setError(e instanceof ApiCallError ? e.error.message : String(e)),
  });
  if (!open) {
    return (
      <button type="button" className="btn btn-danger" onClick={() => { setOpen(true); setError(null); }}>
        {props.label ?? "Delete"}
      </button>
    );
  }
  const ready = !props.confirmText || typed === props.confirmText;
  return (
    <div className="inline-flex flex-col gap-1 rounded border border-red-300 bg-red-50 p-2" role="dialog" aria-label={`Delete ${props.what}`}>
      <span className="text-xs text-red-900">Delete {props.what}? This cannot be undone.</span>
      {props.confirmText ? (
        <input className="input" aria-label="Type the name to confirm" placeholder={props.confirmText} value={typed} onChange={(e) => setTyped(e.target.value)} />
      ) : null}
      <div className="flex gap-1">
        <button type="button" className="btn btn-danger" disabled={!ready || mutation.isPending} onClick={() => mutation.mutate()}>
          {mutation.isPending ? "Deleting…" : "Confirm delete"}
        </button>
        <button type="button" className="btn" onClick={() => setOpen(false)}>Cancel</button>
      </div>
      {error ? <p role="alert" className="text-xs text-red-800">{error}</p> : null}
    </div>
  );
}
