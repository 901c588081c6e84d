// @ts-check
import { encodeQR, qrPath } from './qr.js';
/**
 * Builds DOM nodes. Text is always set as text, never as HTML, so data cannot inject markup.
 * @param {string} tag
 * @param {Record<string, any>} [attributes] `on…` functions become listeners; `class`, `for`, aria-*, data-* attributes.
 * @param {...(Node|string|number|null|undefined|false|Array<Node|string|null|undefined|false>)} children
 * @returns {HTMLElement}
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

/**
 * @param {Element} parent
 * @param {Array<any>} children
 */
function append(parent, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * Replaces an element's children.
 * @param {Element} element
 * @param {...any} children
 */
export function replaceChildren(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/**
 * Says something to screen-reader users without moving focus.
 * @param {string} message
 */
export function announce(message) {
  const announcer = document.getElementById('announcer');
  if (announcer) announcer.textContent = message;
}

/**
 * Runs `cleanup` once `node` has left the page (the router replaced the view).
 * @param {Node} node
 * @param {() => void} cleanup
 */
export function removeWhenGone(node, cleanup) {
  const observer = new MutationObserver(() => {
    if (!node.isConnected) {
      observer.disconnect();
      cleanup();
    }
  });
  queueMicrotask(() => observer.observe(document.body, { childList: true, subtree: true }));
}

/**
 * A QR code of `text` as an SVG image, dark on white with its quiet zone; it scales with its box.
 * @param {string} text @param {string} label what it holds, for people who cannot see it
 * @returns {SVGSVGElement}
 */
export function qrImage(text, label) {
  const code = encodeQR(text);
  const side = code.size + 8;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${side} ${side}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('class', 'qr');
  svg.setAttribute('shape-rendering', 'crispEdges');
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  background.setAttribute('width', String(side));
  background.setAttribute('height', String(side));
  background.setAttribute('fill', '#fff');
  const modules = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  modules.setAttribute('d', qrPath(code));
  modules.setAttribute('fill', '#000');
  svg.append(background, modules);
  return svg;
}

/**
 * Says that something worked (or happened) where the person is looking, whatever they scrolled to: a short note at
 * the bottom of the window, also read out by screen readers. With `action`, a button to act on it, and it stays
 * longer.
 * A toast with the same `key` replaces the earlier one; one leading to `path` goes once the person is there.
 * @param {string} message
 * @param {{ action?: { label: string, run: () => void }, seconds?: number, key?: string, path?: string }} [options]
 */
export function toast(message, options = {}) {
  let shelf = document.getElementById('toasts');
  if (!shelf) {
    shelf = h('div', { id: 'toasts', class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(shelf);
  }
  if (options.key) for (const earlier of shelf.querySelectorAll(`[data-key="${CSS.escape(options.key)}"]`)) earlier.remove();
  const note = h('p', { class: options.action ? 'toast with-action' : 'toast', 'data-key': options.key }, h('span', {}, message));
  if (options.action) {
    const { label, run } = options.action;
    note.append(h('button', { type: 'button', class: 'button', onclick: () => { note.remove(); run(); } }, label));
  }
  shelf.append(note);
  const until = Date.now() + (options.seconds ?? (options.action ? 30 : 5)) * 1_000;
  const check = () => {
    if (Date.now() >= until || (options.path && location.pathname === options.path)) note.remove();
    else if (note.isConnected) setTimeout(check, 250);
  };
  setTimeout(check, 250);
}

/**
 * Hands a file to the person, as the browser's downloads do.
 * @param {Blob} blob @param {string} name
 */
export function saveFile(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
