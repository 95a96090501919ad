"use client";

import { useState } from "react";

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <button
      type="button"
      className="btn px-2 py-0.5 text-xs"
      aria-label={`Copy ${label}`}
      onClick={() => {
        // The clipboard API exists only on secure origins; say so instead of failing silently.
        if (!navigator.clipboard) return setState("failed");
        navigator.clipboard.writeText(text).then(() => setState("copied"), () => setState("failed"));
      }}
    >
      {state === "copied" ? "Copied" : state === "failed" ? "Select and copy by hand" : "Copy"}
    </button>
  );
}
