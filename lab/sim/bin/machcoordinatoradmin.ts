// Simulated Machbase Cluster Edition `machcoordinatoradmin` (see lab/sim/machbase/README.md).
import { main } from "../machbase/cli";

main("coordinator");
