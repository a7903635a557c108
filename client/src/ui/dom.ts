// Tiny DOM helpers. Player-supplied text only ever goes in through textContent (never
// innerHTML), so a name like <img src=x onerror=alert(1)> is shown as the characters it is.

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return el as T;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; title?: string; style?: Partial<CSSStyleDeclaration> } = {},
  children: (Node | null)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title) node.title = props.title;
  if (props.style) Object.assign(node.style, props.style);
  for (const child of children) if (child) node.appendChild(child);
  return node;
}
