// Every tool must bring back the expected answer from every host; anything else fails the run.
export function verifyAnswers(tool: string, expected: ReadonlyMap<string, string>, got: ReadonlyMap<string, string>): void {
  const problems: string[] = [];
  let correct = 0;
  for (const [name, want] of expected) {
    const answer = got.get(name);
    if (answer === undefined) problems.push(`${name}: no answer`);
    else if (answer.trim() !== want) problems.push(`${name}: answered ${JSON.stringify(answer.trim())}, expected ${JSON.stringify(want)}`);
    else correct++;
  }
  for (const name of got.keys()) if (!expected.has(name)) problems.push(`${name}: answer from an unknown host`);
  if (problems.length > 0) {
    throw new Error(`${tool}: ${correct}/${expected.size} hosts answered correctly:\n  ${problems.join("\n  ")}`);
  }
}
