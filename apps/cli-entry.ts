// Entry of the bundled command line (dist/thermoguard.mjs): runs main with the process's arguments.
import { main } from "./main";

process.exitCode = await main(process.argv);
