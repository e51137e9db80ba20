// Typed handles on the Espruino built-ins the device uses (declared, not imported: they are globals on the board).

/** A pin value on Espruino (e.g. B3, LED1). */
export type Pin = unknown;

export interface EspruinoSerial {
  write(data: string): void;
  on(event: "data", cb: (data: string) => void): void;
  setConsole?(force?: boolean): void;
  /** 2v25+: USB/Bluetooth connected, Serial initialised. */
  isConnected?(): boolean;
}

export interface EspruinoSpi {
  setup(options: { sck?: Pin; miso?: Pin; mosi?: Pin; baud?: number; mode?: number }): void;
  /** One transfer with chip select `cs` held low; returns the bytes clocked in. */
  send(data: ArrayLike<number>, cs: Pin): ArrayLike<number>;
}

export interface EspruinoStorage {
  read(name: string): string | undefined;
  write(name: string, data: string): boolean;
}

export interface EspruinoE {
  setConsole(device: string | null, options?: { force?: boolean }): void;
  enableWatchdog(timeoutS: number, autoKick?: boolean): void;
  hwRand?(): number;
  CRC32?(s: string): number;
}

declare const E: EspruinoE;
declare const USB: EspruinoSerial;
declare const LoopbackA: EspruinoSerial;
declare function getTime(): number;
declare function digitalWrite(pin: Pin, value: boolean | number): void;
declare function analogWrite(pin: Pin, value: number, options?: { freq?: number }): void;
/** Espruino's root scope; `global.require` avoids esbuild turning require() into a bundler shim. */
declare const global: { require(name: string): unknown };

/** The board's built-ins, gathered in one object so the rest of the code stays typed. */
export function espruino(): {
  E: EspruinoE;
  USB: EspruinoSerial;
  LoopbackA: EspruinoSerial;
  getTime: () => number;
  digitalWrite: (pin: Pin, value: boolean | number) => void;
  analogWrite: (pin: Pin, value: number, options?: { freq?: number }) => void;
  storage: () => EspruinoStorage;
} {
  return {
    E: E, USB: USB, LoopbackA: LoopbackA, getTime: getTime, digitalWrite: digitalWrite, analogWrite: analogWrite,
    storage: function () {
      return global["require"]("Storage") as EspruinoStorage;
    },
  };
}
