// Control commands: the token (sessionStorage), request ids, results and refusals shown to the user.
import { Command, type ClientMessage, type Command as CommandT, type CommandResultMsg, type ErrorMsg } from "../ws/ws-messages";
import { setHidden, setText } from "./dom";

/** sessionStorage key of the control token: kept for this tab only, gone when it closes. */
export const TOKEN_KEY = "thermoguard.token";
/** A command with no answer after this long is reported as unanswered (the bridge's own device timeout is 2 s). */
export const COMMAND_TIMEOUT_MS = 8000;

export function loadToken(): string {
  try {
    const url = new URL(location.href);
    const fromUrl = url.searchParams.get("token");
    if (fromUrl) {
      sessionStorage.setItem(TOKEN_KEY, fromUrl);
      // Keep the token out of the address bar, history and screenshots.
      url.searchParams.delete("token");
      history.replaceState(null, "", url.pathname + url.search + url.hash);
    }
    return sessionStorage.getItem(TOKEN_KEY) ?? "";
  } catch {
    return "";
  }
}

export function saveToken(t: string): void {
  try {
    if (t) sessionStorage.setItem(TOKEN_KEY, t);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage disabled: the token lives in memory only */
  }
}

interface Pending {
  label: string;
  command: CommandT;
  timer: ReturnType<typeof setTimeout>;
}

export class Commands {
  token: string;
  private nextId = 1;
  private pending = new Map<string | number, Pending>();
  /** Called when a command succeeded (e.g. acknowledge pauses this display's sound). */
  onOk: (c: CommandT, r: CommandResultMsg) => void = () => {};

  constructor(
    private readonly send: (m: ClientMessage) => boolean,
    private readonly statusEl: HTMLElement,
    private readonly errorEl: HTMLElement,
  ) {
    this.token = loadToken();
  }

  /** Validates and sends; the result arrives later as a commandResult or error. */
  run(command: CommandT, label: string): void {
    const v = Command.safeParse(command);
    if (!v.success) {
      const iss = v.error.issues[0];
      this.error(`✕ ${label}: ${iss?.path.join(".") ?? ""} ${iss?.message ?? "invalid"}`);
      return;
    }
    const id = this.nextId++;
    const msg: ClientMessage = this.token ? { type: "command", id, token: this.token, command: v.data } : { type: "command", id, command: v.data };
    if (!this.send(msg)) {
      this.error(`✕ ${label}: not connected to the bridge`);
      return;
    }
    const timer = setTimeout(() => {
      if (this.pending.delete(id)) this.error(`✕ ${label}: no answer from the bridge within ${COMMAND_TIMEOUT_MS / 1000} s`);
    }, COMMAND_TIMEOUT_MS);
    this.pending.set(id, { label, command: v.data, timer });
    this.status(`… ${label}: sent`);
  }

  result(r: CommandResultMsg): void {
    const p = this.pending.get(r.id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(r.id);
    if (r.ok) {
      this.status(`✓ ${p.label}: ${r.message || r.outcome}`);
      setHidden(this.errorEl, true);
      this.onOk(p.command, r);
      return;
    }
    const why = r.reason ?? r.outcome;
    this.error(`✕ ${p.label} refused (${why}): ${r.message}${why === "UNAUTHORIZED" ? " — enter the control token" : ""}`);
  }

  /** An error message; true when it answered one of our commands. */
  bridgeError(e: ErrorMsg): boolean {
    const p = e.id != null ? this.pending.get(e.id) : undefined;
    if (!p || e.id == null) return false;
    clearTimeout(p.timer);
    this.pending.delete(e.id);
    this.error(`✕ ${p.label} refused (${e.code}): ${e.message}${e.code === "UNAUTHORIZED" ? " — enter the control token" : ""}`);
    return true;
  }

  status(s: string): void {
    setText(this.statusEl, s);
  }

  error(s: string): void {
    setText(this.errorEl, s);
    setHidden(this.errorEl, false);
  }
}
