// Tiny DOM helpers: build elements, and update text / attributes only when they change (no layout churn).

type Attrs = Record<string, string | number | boolean | null | undefined>;

/** Creates an element with attributes ("class", "id", aria-*, data-*, ...) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | null)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c != null) el.append(c);
  return el;
}

/** The element with this id; throws for a missing one (a programmer mistake in index.html). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error("index.html lacks #" + id);
  return el as T;
}

export function setText(el: Element, s: string): void {
  if (el.textContent !== s) el.textContent = s;
}

export function setAttr(el: Element, name: string, v: string | null): void {
  if (v == null) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== v) el.setAttribute(name, v);
}

export function setHidden(el: HTMLElement, hidden: boolean): void {
  if (el.hidden !== hidden) el.hidden = hidden;
}
