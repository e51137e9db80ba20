// Child process for the pty-pair tests: opens a pair, prints its device path, then ends as argv[2] says.
import { openPtyPair } from "../../../sim/pty-pair";

const how = process.argv[2] ?? "crash";
const pty = await openPtyPair();
process.stdout.write(pty.devicePath + "\n");
if (how === "crash") setTimeout(() => { throw new Error("crash on purpose"); }, 0);
if (how === "wait") setInterval(() => {}, 1000); // until the parent kills it
