import { runCli } from "../tibero/run-cli";
import { main } from "../tibero/tbdown";

await runCli(main, { readStdin: () => false });
