// @ts-check
/**
 * Client-side routes. The server answers each path with the same index.html (Sources/LotseServer/App/WebClient.swift
 * lists them); this module shows the view for the path.
 * @typedef {(params: { hash: URLSearchParams, params: Record<string, string> }) => Node|Promise<Node>} View
 */

/** @type {Map<string, View>} */
const routes = new Map();
/** @type {(path: string) => string|null} */
let guard = () => null;
let renderTarget = /** @type {HTMLElement|null} */ (null);
/** Counts renders: a view that finishes after a newer one started is dropped. */
let renders = 0;
/** The placeholder shown while a view takes longer than a blink; set with {@link setLoading}. */
let loading = () => /** @type {Node} */ (document.createTextNode(''));

/**
 * @param {string} path
 * @param {View} view
 */
export function route(path, view) {
  routes.set(path, view);
}

/**
 * Sets a function that may redirect before a view shows (e.g. to /login when signed out).
 * @param {(path: string) => string|null} check
 */
export function setGuard(check) {
  guard = check;
}

/**
 * Sets what shows while a view loads (after 250 ms, so fast pages do not flicker).
 * @param {() => Node} placeholder
 */
export function setLoading(placeholder) {
  loading = placeholder;
}

/**
 * Shows the view for the current location, moving focus to its heading for keyboard and screen-reader users.
 */
export async function render() {
  if (!renderTarget) return;
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const redirect = guard(path);
  if (redirect && redirect !== path) {
    navigate(redirect, { replace: true });
    return;
  }
  const { view, params } = match(path);
  if (!view) return;
  const hash = new URLSearchParams(location.hash.slice(1));
  const target = renderTarget;
  const current = (renders += 1);
  const slow = setTimeout(() => {
    target.setAttribute('aria-busy', 'true');
    target.replaceChildren(loading());
  }, 250);
  let node;
  try {
    node = await view({ hash, params });
  } finally {
    clearTimeout(slow);
    if (current === renders) target.removeAttribute('aria-busy');
  }
  if (current !== renders) return;  // someone went elsewhere meanwhile
  renderTarget.replaceChildren(node);
  const heading = renderTarget.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
    document.title = `${heading.textContent} · Lotse`;
  }
}

/**
 * The view for a path: an exact route, else one with `:name` segments, else `*`.
 * @param {string} path
 * @returns {{ view: View|undefined, params: Record<string, string> }}
 */
function match(path) {
  const exact = routes.get(path);
  if (exact) return { view: exact, params: {} };
  const parts = path.split('/');
  for (const [pattern, view] of routes) {
    const patternParts = pattern.split('/');
    if (patternParts.length !== parts.length || !pattern.includes(':')) continue;
    /** @type {Record<string, string>} */
    const params = {};
    const fits = patternParts.every((part, index) => {
      if (part.startsWith(':')) {
        params[part.slice(1)] = decodeURIComponent(parts[index]);
        return parts[index] !== '';
      }
      return part === parts[index];
    });
    if (fits) return { view, params };
  }
  return { view: routes.get('*'), params: {} };
}

/**
 * Goes to another view without reloading.
 * @param {string} path
 * @param {{ replace?: boolean }} [options]
 */
export function navigate(path, options = {}) {
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  void render();
}

/**
 * Starts routing into `target`; links marked `data-link` navigate in place.
 * @param {HTMLElement} target
 */
export function start(target) {
  renderTarget = target;
  addEventListener('popstate', () => void render());
  document.addEventListener('click', (event) => {
    const link = /** @type {HTMLElement} */ (event.target).closest?.('a[data-link]');
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    const target = /** @type {HTMLAnchorElement} */ (link);
    navigate(target.pathname + target.search + target.hash);
  });
  void render();
}

const returnKey = 'lotse.return';

/**
 * Remembers where to go once signed in (a private page opened while signed out).
 * @param {string} path
 */
export function rememberReturn(path) {
  try {
    sessionStorage.setItem(returnKey, path);
  } catch {
    // Storage may be off; people then start at home.
  }
}

/**
 * Where to go after signing in: the remembered page (once), else `fallback`.
 * @param {string} fallback
 */
export function takeReturn(fallback) {
  try {
    const path = sessionStorage.getItem(returnKey);
    sessionStorage.removeItem(returnKey);
    if (path && path.startsWith('/') && !path.startsWith('//')) return path;
  } catch {
    // As above.
  }
  return fallback;
}
