import { runCli } from "../tibero/run-cli";
import { main } from "../tibero/tbsql";

// With an @script argument the SQL comes from the file; stdin is left alone so that an open but idle
// stdin (an SSH channel) cannot hang the run.
await runCli(main, { readStdin: (argv) => !argv.some((a) => a.startsWith("@")) });
