export function Forbidden({ role, what }: { role: string; what: string }) {
  return (
    <div className="card border-amber-300 bg-amber-50" role="alert">
      <h1 className="font-semibold">Not available to your role</h1>
      <p className="mt-1 text-slate-700">Your role ({role}) may not {what}. Ask an ADMIN if you need it.</p>
    </div>
  );
}
