// A tiny HTML template: every interpolated value is escaped unless it is already SafeHtml (built by this template).

/** Markup that is safe to insert as is: only `html`, `safe` and `joinHtml` make it. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** A value the template accepts: text and numbers (escaped), SafeHtml (kept), arrays of these (concatenated), null / undefined / false (nothing). */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(v: HtmlValue): string {
  if (v instanceof SafeHtml) return v.text;
  if (v === null || v === undefined || v === false) return "";
  if (Array.isArray(v)) return v.map(render).join("");
  return escapeHtml(String(v));
}

/** Tagged template: html`<td class="${prio}">${text}</td>` escapes prio and text. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Marks a constant string (a stylesheet, markup written in code) as safe. Never pass data from a recording. */
export function safe(constant: string): SafeHtml {
  return new SafeHtml(constant);
}

/** Joins values (escaping the plain ones) with a separator. */
export function joinHtml(parts: readonly HtmlValue[], sep = ""): SafeHtml {
  return new SafeHtml(parts.map(render).join(sep));
}
