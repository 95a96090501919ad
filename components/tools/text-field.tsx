import { errorsAt, FieldError } from "./field-error";

type Props = {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  errors: Record<string, string[]> | undefined;
  /** The field's path in the request, as the server names it in field errors. */
  path: string;
  mono?: boolean;
  className?: string;
  hideLabel?: boolean;
  type?: "text" | "password";
};

/** A labelled input with the server's errors for its path underneath. */
export function TextField({ id, label, value, onChange, errors, path, mono = true, className = "", hideLabel = false, type = "text" }: Props) {
  return (
    <div className={className}>
      <label htmlFor={id} className={hideLabel ? "sr-only" : "block text-xs font-medium text-slate-700"}>{label}</label>
      <input id={id} type={type} className={`input ${mono ? "font-mono" : ""}`} value={value} aria-invalid={errorsAt(errors, path).length > 0} onChange={(e) => onChange(e.target.value)} />
      <FieldError errors={errors} name={path} />
    </div>
  );
}
