import { runCli } from "../tibero/run-cli";
import { main } from "../tibero/cmrctl";

await runCli(main, { readStdin: () => false });
