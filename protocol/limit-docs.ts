// Units and reasons of the settable limits' safe bounds (host and docs only; not bundled into device code).
import type { LimitParam } from "./message-types";

/** Wire unit and the clinical reason for each LIM parameter's bounds (LIMIT_BOUNDS in limits.ts). */
export const LIMIT_DOCS: { readonly [P in LimitParam]: { readonly unit: string; readonly why: string } } = {
  WARN: { unit: "cC", why: "warning below the 42 degC intervention limit" },
  INTERVENE: { unit: "cC", why: "42 degC is the maximum accepted nerve temperature (BMC 2022)" },
  STOP: { unit: "cC", why: "energy stopped at 45 degC in spinal-canal RF practice (clinical.md)" },
  PREDICT: { unit: "s", why: "early-warning horizon; ~1 in 10 RF patients overshot to ~48 degC after stop" },
  DOSE42_MIN: { unit: "min", why: "42.2 degC for 50-60 min damages nerve (BMC 2022)" },
  DOSE70_MIN: { unit: "min", why: "70 degC for 5 min damages nerve (BMC 2022)" },
  CEM43: { unit: "cCEM43", why: "16.5 CEM43 = 42.2 degC for 50 min (Sapareto & Dewey 1984)" },
};
