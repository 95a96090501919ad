import { CopyButton } from "./copy-button";

/** Generated files, read-only, each with a copy button. */
export function GeneratedFiles({ files }: { files: { fileName: string; text: string }[] }) {
  return (
    <div className="grid gap-2 lg:grid-cols-2" data-testid="generated-files">
      {files.map((f) => (
        <div key={f.fileName} className="rounded border border-slate-200" data-testid="generated-file">
          <div className="flex items-center gap-2 border-b border-slate-200 bg-slate-50 px-2 py-1">
            <span className="font-mono text-xs font-semibold">{f.fileName}</span>
            <span className="ml-auto"><CopyButton text={f.text} label={f.fileName} /></span>
          </div>
          <pre className="max-h-72 overflow-auto p-2 font-mono text-xs">{f.text}</pre>
        </div>
      ))}
    </div>
  );
}
