// `thermoguard central`: the central station, one tile per room from an MQTT broker, until Ctrl-C.
import type { Command } from "commander";
import { parseListen } from "../../host/bridge";
import { DEFAULT_CENTRAL_LISTEN, startCentral } from "../../host/central/central-server";
import { addBrokerOptions, brokerFrom, type BrokerFlags } from "../mqtt-options";
import { runUntilSignal } from "../run-until-signal";
import { UserError } from "../user-error";

export function register(program: Command): void {
  const cmd = program
    .command("central")
    .description("central station: every room publishing to an MQTT broker on one page (read-only; acknowledging needs the room's token)")
    .option("-l, --listen <host:port>", "http / WebSocket address (loopback by default)", DEFAULT_CENTRAL_LISTEN);
  addBrokerOptions(cmd, "broker URL, e.g. mqtt://central:secret@broker.local:1883 (required)").action(async (o: BrokerFlags & { listen: string }) => {
    try {
      parseListen(o.listen);
    } catch (e) {
      throw new UserError("--listen: " + (e as Error).message.replace(/^listen: /, ""));
    }
    const broker = brokerFrom(o);
    if (!broker) throw new UserError("--mqtt: the central station needs a broker URL, e.g. --mqtt mqtt://central:secret@127.0.0.1:1883");
    const central = await startCentral({ broker: broker, listen: o.listen, log: (line) => process.stdout.write(new Date().toISOString() + " " + line + "\n") }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "EADDRINUSE") throw new UserError(`${o.listen} is already in use: choose another address with --listen`, "EADDRINUSE");
      throw e;
    });
    process.stdout.write(`thermoguard central station\n  page: ${central.url}\n  Ctrl-C to stop. Research tool, not a certified medical device.\n`);
    await runUntilSignal(() => central.close());
  });
}
