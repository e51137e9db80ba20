// The --token option of `bridge` and `demo`: a configured control token must be strong (host/ws/token.ts checkTokenStrength).
import { checkTokenStrength } from "../host/ws/token";
import { UserError } from "./user-error";

/** Commander parser for --token: the token, or a UserError with code WEAK_TOKEN saying what is missing. */
export function parseToken(v: string): string {
  const why = checkTokenStrength(v);
  if (why) throw new UserError(`--token: too weak to guard control of the device (${why}); leave --token out to have a strong one generated`, "WEAK_TOKEN");
  return v;
}
