// @ts-check
/**
 * The one WebSocket of a signed-in browser (docs/realtime.md): reconnects with backoff, hands typed events to
 * listeners, and sends messages with an acknowledgement. Anything missed while disconnected is fetched through the
 * history API by whoever listens for `open`.
 */
import { api, APIError } from './api.js';

/** @type {WebSocket|null} */
let socket = null;
let wanted = false;
let attempts = 0;
/** The server said hello: frames sent from now on are handled (docs/realtime.md). */
let ready = false;
/** @type {Map<string, Set<(event: any) => void>>} */
const listeners = new Map();
/** @type {Map<string, { resolve: (value: any) => void, reject: (error: Error) => void }>} */
const waiting = new Map();
/** Who of the people one shares a conversation with has a socket open, as the server last said. */
const onlineUsers = new Set();

/** Opens the socket (after sign-in) and keeps it open until {@link disconnectSocket}. */
export function connectSocket() {
  wanted = true;
  if (!socket) open();
}

/** Closes the socket for good (at sign-out). */
export function disconnectSocket() {
  wanted = false;
  socket?.close();
  socket = null;
}

/**
 * Whether someone one shares a conversation with is online; kept from the server's `hello` and `presence` events,
 * so a page opened later knows it too.
 * @param {string} user
 */
export function isOnline(user) {
  return onlineUsers.has(user);
}

/** @returns {boolean} whether events can be sent now */
export function isConnected() {
  return ready && socket?.readyState === WebSocket.OPEN;
}

function open() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const current = new WebSocket(`${scheme}://${location.host}/api/v1/socket`);
  socket = current;
  ready = false;
  current.addEventListener('message', (message) => {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return;
    }
    if (event.type === 'hello') {
      onlineUsers.clear();
      for (const user of event.online) onlineUsers.add(user);
      attempts = 0;
      ready = true;
      emit('open', {});
    }
    if ((event.type === 'ack' || event.type === 'error') && event.id && waiting.has(event.id)) {
      const pending = waiting.get(event.id);
      waiting.delete(event.id);
      if (event.type === 'ack') pending?.resolve(event.message);  // the message as stored
      else pending?.reject(new APIError(0, event.code, event.message, undefined));
    }
    if (event.type === 'presence') {
      if (event.online) onlineUsers.add(event.user);
      else onlineUsers.delete(event.user);
    }
    emit(event.type, event);
  });
  current.addEventListener('close', (closed) => {
    if (socket !== current) return;
    socket = null;
    ready = false;
    // 1008: this browser's session ended (signed out here or elsewhere, revoked, expired). Trying again would only
    // be refused; the next sign-in connects anew.
    if (closed.code === 1008) wanted = false;
    for (const [id, pending] of waiting) {
      pending.reject(new Error('socket closed'));
      waiting.delete(id);
    }
    emit('close', {});
    if (!wanted) return;
    attempts += 1;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(attempts, 6)) * (0.75 + Math.random() / 2);
    setTimeout(() => {
      if (wanted && !socket) open();
    }, delay);
  });
}

/**
 * @param {string} type
 * @param {any} event
 */
function emit(type, event) {
  for (const listener of listeners.get(type) ?? []) listener(event);
}

/**
 * Listens for one type of event (`message`, `typing`, `presence`, `receipt`, `conversation`, `hello`, `open`, `close`).
 * @param {string} type
 * @param {(event: any) => void} listener
 * @returns {() => void} stops listening
 */
export function on(type, listener) {
  if (!listeners.has(type)) listeners.set(type, new Set());
  listeners.get(type)?.add(listener);
  return () => listeners.get(type)?.delete(listener);
}

/**
 * Sends an event if connected; typing and marks are best effort.
 * @param {object} event
 * @returns {boolean} whether it went out
 */
export function sendEvent(event) {
  if (!isConnected()) return false;
  socket?.send(JSON.stringify(event));
  return true;
}

/**
 * A sealed message as the server stores and sends it (openapi/lotse.yaml, `Message`).
 * @typedef {{ id: string, conversation: string, sender: string, epoch: number, seq: number, ciphertext: string, signature: string, attachments: string[], sentAt: string }} Message
 */

/**
 * Sends a sealed message: over the socket with an acknowledgement when connected, else (or if no answer comes) by
 * the API. The message ID makes the retry safe: the server stores it once.
 * @param {string} conversation
 * @param {{ id: string, epoch: number, ciphertext: string, signature: string, attachments?: string[] }} message
 * @returns {Promise<Message>} the message as stored, from the `ack` or the API
 */
export async function sendMessage(conversation, message) {
  if (isConnected()) {
    try {
      return await new Promise((resolve, reject) => {
        waiting.set(message.id, { resolve, reject });
        sendEvent({ type: 'send', conversation, message });
        setTimeout(() => {
          if (waiting.delete(message.id)) reject(new Error('no acknowledgement'));
        }, 8_000);
      });
    } catch (error) {
      if (error instanceof APIError) throw error;  // the server refused it; retrying would not help
    }
  }
  return api('POST', `/conversations/${conversation}/messages`, message);
}
