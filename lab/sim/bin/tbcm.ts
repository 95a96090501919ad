import { runCli } from "../tibero/run-cli";
import { main } from "../tibero/tbcm";

await runCli(main, { readStdin: () => false });
