#!/usr/bin/env node
// The thermoguard command: registers tsx (TypeScript at run time), then runs host/cli/main.ts.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../host/cli/main.ts");
process.exitCode = await main(process.argv);
