// The case fields (pseudonymous case id, procedure, modality, operator, probe placements): shown from the bridge, edited and sent as setCase.
import type { CaseMsg, Channel, Command } from "../ws/ws-messages";
import type { Commands } from "./commands";
import type { DashboardState } from "./dashboard-state";
import { byId, h, setText } from "./dom";

type CaseFields = CaseMsg["fields"];
type TextField = "caseId" | "procedure" | "operator";
const TEXT_FIELDS: [TextField, string][] = [["caseId", "case-id"], ["procedure", "case-procedure"], ["operator", "case-operator"]];

/** The fields that differ between what the bridge holds and what the form says (empty text clears a field). */
export function caseChanges(held: CaseFields, form: { text: Partial<Record<TextField, string>>; modality: string; placements: Map<number, string> }): CaseFields {
  const out: CaseFields = {};
  for (const [k] of TEXT_FIELDS) {
    const v = (form.text[k] ?? "").trim();
    if (v !== (held[k] ?? "")) out[k] = v === "" ? null : v;
  }
  const mod = form.modality === "" ? null : (form.modality as NonNullable<CaseFields["modality"]>);
  if (mod !== (held.modality ?? null)) out.modality = mod;
  const was = new Map((held.placements ?? []).map((p) => [p.ch, p.placement ?? ""]));
  const placements: NonNullable<CaseFields["placements"]> = [];
  for (const [ch, text] of form.placements) {
    const v = text.trim();
    if (v !== (was.get(ch) ?? "")) placements.push({ ch, placement: v === "" ? null : v });
  }
  if (placements.length) out.placements = placements;
  return out;
}

/** One line summary for the collapsed panel: "P-0142 · MWA · Dr A". */
export function caseSummary(f: CaseFields): string {
  return [f.caseId, f.procedure, f.modality === "other" ? (f.modalityOther ?? "other") : f.modality, f.operator].filter(Boolean).join(" · ");
}

export class CaseForm {
  private placements = new Map<number, HTMLInputElement>();
  /** The bridge's fields last put into the form: a user's unsaved edits stay until the bridge's fields change. */
  private shown: CaseFields | null = null;

  constructor(
    private readonly state: DashboardState,
    private readonly cmds: Commands,
  ) {
    byId("case-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const fields = this.changes();
      if (Object.keys(fields).length === 0) return this.cmds.status("case fields unchanged");
      const cmd: Command = { name: "setCase", fields };
      this.cmds.run(cmd, "Save case fields");
    });
  }

  /** One placement field per probe (rebuilt when the channels change). */
  build(channels: Channel[]): void {
    const box = byId("case-placements");
    this.placements.clear();
    this.shown = null;
    box.replaceChildren(
      ...channels.flatMap((c) => {
        const id = `case-place-${c.ch}`;
        const inp = h("input", { id, maxlength: 80, autocomplete: "off", placeholder: c.role === "nerve" ? "e.g. left L4 foramen" : "", class: "needs-control" });
        this.placements.set(c.ch, inp);
        return [h("label", { for: id }, `${c.label} placement`), inp];
      }),
    );
    this.show();
  }

  /** Shows the bridge's fields, when they changed, in every input the user is not editing. */
  show(): void {
    const f = this.state.caseFields;
    if (f === this.shown) return;
    this.shown = f;
    const active = document.activeElement;
    for (const [k, id] of TEXT_FIELDS) {
      const el = byId<HTMLInputElement>(id);
      if (el !== active) el.value = f[k] ?? "";
    }
    const mod = byId<HTMLSelectElement>("case-modality");
    if (mod !== active) mod.value = f.modality ?? "";
    const held = new Map((f.placements ?? []).map((p) => [p.ch, p.placement ?? ""]));
    for (const [ch, el] of this.placements) if (el !== active) el.value = held.get(ch) ?? "";
    setText(byId("case-summary"), caseSummary(f) || "(not filled in)");
  }

  private changes(): CaseFields {
    const text: Partial<Record<TextField, string>> = {};
    for (const [k, id] of TEXT_FIELDS) text[k] = byId<HTMLInputElement>(id).value;
    const placements = new Map([...this.placements].map(([ch, el]) => [ch, el.value]));
    return caseChanges(this.state.caseFields, { text, modality: byId<HTMLSelectElement>("case-modality").value, placements });
  }
}
