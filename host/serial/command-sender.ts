// Host -> device command types (the command table itself is the link core's: host/core/command-table.ts).
export { COMMAND_TIMEOUT_MS, type CommandBody, type CommandOutcome } from "../core/command-table";
