// The Espruino shell: console off USB, USB line I/O, Storage, watchdog, output pins, deadline-driven setTimeout loop.
import type { Outputs } from "../core/annunciator";
import type { ChannelSpec } from "../link/channel-spec";
import { DeviceRuntime } from "../runtime/device-runtime";
import type { SampleSource } from "../source";
import {
  BOARD, ESPRUINO_ALARM_QUEUE, ESPRUINO_BLOCKED_MS, ESPRUINO_DRAIN_BYTES_PER_S, ESPRUINO_HARD_LIMIT, ESPRUINO_HIGH_WATER,
  ESPRUINO_RESEND_PER_TICK, ESPRUINO_RING,
} from "./board-config";
import { espruino, type Pin } from "./espruino-api";
import { EspruinoStore, STATE_FILE } from "./espruino-store";
import { EspruinoTx } from "./espruino-tx";

/** What an entry point supplies. Pins are looked up by name on the board's global scope. */
export interface ShellConfig {
  source: SampleSource;
  channels: ChannelSpec[];
  deviceId: string;
  rateHz: number;
  /** Pin lookup by name ("B13", "LED1"); returns undefined when the board has no such pin. */
  pin: (name: string) => Pin | undefined;
}

/** Outputs on pins: LED and buzzer active HIGH, interlock as a "permit" output that goes LOW when asserted. */
function pinOutputs(cfg: ShellConfig): Outputs {
  const b = espruino();
  const led = cfg.pin(BOARD.led);
  const buz = cfg.pin(BOARD.buzzer);
  const permit = cfg.pin(BOARD.interlockPermit);
  return {
    led: function (on) {
      if (led !== undefined) b.digitalWrite(led, on);
    },
    buzzer: function (on) {
      if (buz === undefined) return;
      if (BOARD.buzzerFreqHz > 0) b.analogWrite(buz, on ? 0.5 : 0, { freq: BOARD.buzzerFreqHz });
      else b.digitalWrite(buz, on);
    },
    interlock: function (asserted) {
      if (permit !== undefined) b.digitalWrite(permit, !asserted);
    },
  };
}

/**
 * Starts the device on the board. The interlock permit output is driven LOW first (fail closed)
 * until the first annunciation decides. The REPL is moved to LoopbackA so that USB carries only
 * the protocol (to reprogram, reset with the button held: Espruino then skips the saved code).
 */
export function runOnEspruino(cfg: ShellConfig): DeviceRuntime {
  const b = espruino();
  const permit = cfg.pin(BOARD.interlockPermit);
  if (permit !== undefined) b.digitalWrite(permit, 0);
  b.LoopbackA.setConsole!(true);
  b.E.enableWatchdog(BOARD.watchdogS, true);
  const t0 = b.getTime();
  const now = function (): number {
    return Math.round((b.getTime() - t0) * 1000);
  };
  const tx = new EspruinoTx(b.USB, b.getTime, ESPRUINO_DRAIN_BYTES_PER_S, ESPRUINO_BLOCKED_MS, ESPRUINO_HIGH_WATER);
  let bootId = 0;
  for (let i = 0; i < 4; i++) bootId = bootId * 256 + Math.floor(Math.random() * 256);
  const rt = new DeviceRuntime({
    source: cfg.source, channels: cfg.channels, tx: tx, rateHz: cfg.rateHz, deviceId: cfg.deviceId, bootId: bootId,
    store: new EspruinoStore(b.storage(), STATE_FILE), outputs: pinOutputs(cfg),
    ringCapacity: ESPRUINO_RING, alarmQueueCapacity: ESPRUINO_ALARM_QUEUE, resendPerTick: ESPRUINO_RESEND_PER_TICK,
    txHighWaterBytes: ESPRUINO_HIGH_WATER, txHardLimitBytes: ESPRUINO_HARD_LIMIT,
  }, now());
  const loop = function (): void {
    const sleep = rt.tick(now());
    setTimeout(loop, sleep > 1 ? sleep : 1);
  };
  b.USB.on("data", function (d) {
    rt.receive(d, now());
  });
  loop();
  return rt;
}
