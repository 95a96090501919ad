import { runMain } from "../gbase/main";
import { runServiceScript } from "../gbase/services";

runMain("gcluster_services", (ctx, argv) => runServiceScript("gcluster_services", ctx, argv));
