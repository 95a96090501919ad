import { runGcadmin } from "../gbase/gcadmin";
import { runMain } from "../gbase/main";

runMain("gcadmin", runGcadmin);
