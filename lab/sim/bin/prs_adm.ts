import { main } from "../prosync/prs-adm";
import { runCli } from "../tibero/run-cli";

await runCli(main, { readStdin: (argv) => !argv[0]?.startsWith("--lab-") });
