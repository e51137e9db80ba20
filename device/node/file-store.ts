// Snapshot persistence in a file, written atomically (temporary file + rename) so a crash never leaves half a state.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Store } from "../core/snapshot";

/**
 * Store on a file path. `read` returns null when the file does not exist; `write` writes
 * `<path>.tmp` then renames it over `<path>` (atomic on POSIX file systems) and throws on failure
 * (the monitor then raises STORAGE_FAIL). Synchronous: a few hundred bytes every few seconds.
 */
export class FileStore implements Store {
  readonly path: string;
  constructor(path: string) {
    this.path = path;
  }
  read(): string | null {
    try {
      return readFileSync(this.path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
  }
  write(text: string): void {
    const tmp = this.path + ".tmp";
    writeFileSync(tmp, text);
    renameSync(tmp, this.path);
  }
}
