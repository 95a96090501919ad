// Simulated Machbase Cluster Edition `machdeployeradmin` (see lab/sim/machbase/README.md).
import { main } from "../machbase/cli";

main("deployer");
