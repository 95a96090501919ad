// Filled in by the foundation work: provides a real PostgreSQL for integration tests.
export default async function setup(): Promise<void> {}
