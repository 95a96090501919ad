import { runMain } from "../gbase/main";
import { runServiceScript } from "../gbase/services";

runMain("gcware_services", (ctx, argv) => runServiceScript("gcware_services", ctx, argv));
