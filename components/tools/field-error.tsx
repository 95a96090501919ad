/** The messages for `name` and anything nested under it (a list field's items). */
export function errorsAt(errors: Record<string, string[]> | undefined, name: string): string[] {
  return Object.entries(errors ?? {}).flatMap(([k, v]) => (k === name || k.startsWith(`${name}.`) ? v : []));
}

/** Server field errors for one field, next to it. */
export function FieldError({ errors, name, exact = false }: { errors: Record<string, string[]> | undefined; name: string; exact?: boolean }) {
  const list = exact ? (errors?.[name] ?? []) : errorsAt(errors, name);
  if (!list?.length) return null;
  return <p className="mt-0.5 text-xs text-red-700" data-field-error={name}>{list.join("; ")}</p>;
}

/** Errors whose path no field on screen shows (e.g. an array-level rule), so none is lost. */
export function OtherErrors({ errors, shown }: { errors: Record<string, string[]> | undefined; shown: (key: string) => boolean }) {
  const rest = Object.entries(errors ?? {}).filter(([k]) => !shown(k));
  if (rest.length === 0) return null;
  return (
    <ul role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-xs text-red-800">
      {rest.map(([k, v]) => <li key={k}><span className="font-mono">{k === "_form" ? "" : `${k}: `}</span>{v.join("; ")}</li>)}
    </ul>
  );
}
