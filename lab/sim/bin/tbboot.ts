import { runCli } from "../tibero/run-cli";
import { main } from "../tibero/tbboot";

await runCli(main, { readStdin: () => false });
