// @ts-check
import { language } from './i18n.js';
import { csrfToken } from './store.js';

/** An error the API answered with: a stable `code`, a localized `message`, maybe the offending `field`. */
export class APIError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   * @param {string|undefined} field
   */
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  /**
   * The same error at another field: a form's name for what the API calls e.g. `weekly[3].end`.
   * @param {string} field
   */
  withField(field) {
    return new APIError(this.status, this.code, this.message, field);
  }
}

/**
 * Calls the API. Sends the interface language and, for unsafe methods, the CSRF token of the cookie session.
 * @param {'GET'|'POST'|'PATCH'|'PUT'|'DELETE'} method
 * @param {string} path below /api/v1, e.g. `/account`
 * @param {unknown} [body]
 * @returns {Promise<any>} the decoded JSON, or null for 204
 */
export async function api(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json', 'Accept-Language': language() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const token = csrfToken();
  if (token && method !== 'GET') headers['X-CSRF-Token'] = token;
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new APIError(0, 'network.offline', '', undefined);
  }
  if (response.status === 204) return null;
  if (!response.ok) throw await errorFrom(response);
  return response.json().catch(() => null);
}

/**
 * The APIError an unsuccessful response carries (for callers that fetch themselves, e.g. binary uploads).
 * @param {Response} response
 * @returns {Promise<APIError>}
 */
export async function errorFrom(response) {
  const error = (await response.json().catch(() => null))?.error ?? {};
  return new APIError(response.status, error.code ?? 'server.internal', error.message ?? response.statusText, error.field);
}
