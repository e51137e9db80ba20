// Snapshot persistence in Espruino's Storage (journaling flash): one small file, rewritten rarely.
import type { Store } from "../core/snapshot";
import type { EspruinoStorage } from "./espruino-api";

/** Storage file name (<= 28 characters, espruino.md). */
export const STATE_FILE = "tg.state";

/** Store on `require("Storage")`: read returns undefined when absent; write returns false on failure. */
export class EspruinoStore implements Store {
  private readonly storage: EspruinoStorage;
  private readonly name: string;
  constructor(storage: EspruinoStorage, name: string) {
    this.storage = storage;
    this.name = name;
  }
  read(): string | undefined {
    return this.storage.read(this.name);
  }
  write(text: string): boolean {
    return this.storage.write(this.name, text);
  }
}
