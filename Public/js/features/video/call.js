// @ts-check
/**
 * One tab in an engagement's call (docs/video.md). It joins the room over the socket, keeps a peer connection to
 * every other admitted tab (a mesh of at most six) and exchanges offers, answers and ICE candidates sealed end to end
 * under the engagement conversation's key. Every connection is checked: the certificate the browser met in the DTLS
 * handshake must be the one the other person announced in a signed signal. No DOM here: the page draws whenever
 * `onChange` is called.
 */
import { api } from '../../core/api.js';
import { on, sendEvent } from '../../core/socket.js';
import { newID } from '../../crypto/bytes.js';
import { openSignal, sealSignal } from '../../crypto/call.js';
import { Negotiation } from './negotiation.js';

/**
 * @typedef {{ id: string, user: string, admitted: boolean, connected: boolean }} CallPeer
 * @typedef {{ engagement: string, peers: CallPeer[] }} CallRoom
 * @typedef {{ iceServers: RTCIceServer[], expiresAt?: string, iceTransportPolicy: RTCIceTransportPolicy }} ICEConfiguration
 * @typedef {import('../../crypto/call.js').CallSignal & { author: string }} ReceivedSignal
 * @typedef {import('../../crypto/call.js').SignalContent} SignalContent
 * @typedef {import('./negotiation.js').Link} Link
 */

/** How often a tab repeats its join, so the server knows it is still there. */
const heartbeat = 25_000;
/** The longest chat message in a call, in characters. */
export const chatLimit = 2_000;

/**
 * The tab's peer ID in an engagement's call, kept in the tab's session storage: after a reload or a dropped
 * connection the tab returns to its place (and stays let in).
 * @param {string} engagement
 */
function tabPeer(engagement) {
  const key = `lotse.call.${engagement}`;
  const known = sessionStorage.getItem(key);
  if (known) return known;
  const id = newID();
  sessionStorage.setItem(key, id);
  return id;
}

export class Call {
  /**
   * @param {import('../engagements/engagement-session.js').EngagementSession} session
   * @param {MediaStream} local this tab's camera and microphone (may hold no tracks)
   * @param {() => void} onChange
   */
  constructor(session, local, onChange) {
    this.session = session;
    this.engagement = session.engagement.id;
    this.peer = tabPeer(this.engagement);
    this.local = local;
    this.onChange = onChange;
    /** @type {CallRoom|null} */
    this.room = null;
    this.negotiation = new Negotiation(this);
    /** The connections to the other tabs, by their peer IDs. */
    this.links = this.negotiation.links;
    /** @type {Set<string>} */
    this.seen = new Set();
    /** Why the server refused this tab (room full, engagement ended); null while fine. @type {string|null} */
    this.problem = null;
    /** Signals that failed their signature or decryption, and were ignored. */
    this.rejected = 0;
    /** The coach sent this tab out (or away from the waiting room): it does not join again by itself. */
    this.dismissed = false;
    /** The screen this tab shares instead of its camera, or null. @type {MediaStreamTrack|null} */
    this.screen = null;
    /** What was said in the call, oldest first; not stored anywhere. @type {Array<{ author: string, text: string, mine: boolean }>} */
    this.chat = [];
    /** @type {ICEConfiguration|null} */
    this.ice = null;
    this.sending = Promise.resolve();
    this.receiving = Promise.resolve();
    /** @type {Array<() => void>} */
    this.stops = [];
    /** @type {ReturnType<typeof setInterval>|undefined} */
    this.timer = undefined;
  }

  /** Listens for the room and for signals, and joins (again after every reconnect of the socket). */
  async start() {
    await this.iceConfiguration();
    this.stops.push(
      on('room', (event) => {
        if (event.room.engagement === this.engagement) this.update(event.room);
      }),
      on('signal', (event) => {
        if (event.signal.to === this.peer && event.signal.engagement === this.engagement) this.receive(event.signal);
      }),
      on('error', (event) => {
        if (event.id !== this.peer) return;
        this.problem = event.message;
        this.onChange();
      }),
      on('open', () => this.join()),
      on('close', () => this.onChange()),
    );
    this.join();
    this.timer = setInterval(() => this.join(), heartbeat);
  }

  join() {
    if (!this.dismissed) sendEvent({ type: 'join', engagement: this.engagement, peer: this.peer });
  }

  /** Asks to be let in again after the coach said "not now". */
  rejoin() {
    this.dismissed = false;
    this.join();
    this.onChange();
  }

  /** Leaves the call for good: the place in the room is given up. */
  leave() {
    sendEvent({ type: 'leave', engagement: this.engagement, peer: this.peer });
    sessionStorage.removeItem(`lotse.call.${this.engagement}`);
    this.stop();
  }

  /** Hangs up every connection and stops listening. */
  stop() {
    clearInterval(this.timer);
    this.screen?.stop();
    for (const stop of this.stops) stop();
    for (const link of this.links.values()) link.pc.close();
    this.links.clear();
  }

  /** The coach lets a waiting tab in. @param {string} peer */
  admit(peer) {
    sendEvent({ type: 'admit', engagement: this.engagement, peer });
  }

  /** The coach sends a tab out of the call or the waiting room. @param {string} peer */
  dismiss(peer) {
    sendEvent({ type: 'leave', engagement: this.engagement, peer });
  }

  /** This tab as the room lists it. */
  get self() {
    return this.room?.peers.find((peer) => peer.id === this.peer);
  }

  /** Tabs that wait to be let in. */
  get waiting() {
    return this.room?.peers.filter((peer) => !peer.admitted) ?? [];
  }

  /** @param {'audio'|'video'} kind @param {boolean} enabled */
  setSending(kind, enabled) {
    for (const track of this.local.getTracks()) if (track.kind === kind) track.enabled = enabled;
    // The others show that this microphone or camera is off, instead of guessing from silence.
    for (const link of this.links.values()) this.tell(link, this.mutedState());
    this.onChange();
  }

  /** What this tab has turned off, as told to the others. @returns {{ kind: 'muted', audio: boolean, video: boolean }} */
  mutedState() {
    return { kind: /** @type {'muted'} */ ('muted'), audio: !this.isSending('audio'), video: !this.isSending('video') };
  }

  /** @param {'audio'|'video'} kind */
  isSending(kind) {
    return this.local.getTracks().some((track) => track.kind === kind && track.enabled);
  }

  /** @param {'audio'|'video'} kind */
  canSend(kind) {
    return this.local.getTracks().some((track) => track.kind === kind);
  }

  /** The picture this tab sends: the shared screen, else the camera. */
  get picture() {
    return this.screen ?? this.local.getVideoTracks()[0] ?? null;
  }

  /** Shows the screen (a window, a tab) instead of the camera, until stopped here or in the browser's own bar. */
  async shareScreen() {
    let display;
    try {
      display = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'NotAllowedError') return;  // they chose not to
      throw error;
    }
    const [track] = display.getVideoTracks();
    track.addEventListener('ended', () => void this.stopSharing());
    this.screen = track;
    await this.showPicture();
  }

  async stopSharing() {
    if (!this.screen) return;
    this.screen.stop();
    this.screen = null;
    await this.showPicture();
  }

  /** Sends the current picture on every connection, without negotiating anew, and says whether it is the screen. */
  async showPicture() {
    for (const link of this.links.values()) {
      await link.videoSender?.replaceTrack(this.picture).catch(() => {});
      this.tell(link, { kind: 'sharing', on: !!this.screen });
    }
    this.onChange();
  }

  /**
   * Says something to everyone in the call, over the connections' data channels: nothing passes the server.
   * @param {string} text
   */
  say(text) {
    const trimmed = text.trim().slice(0, chatLimit);
    if (!trimmed) return;
    for (const link of this.links.values()) this.tell(link, { kind: 'chat', text: trimmed });
    this.chat.push({ author: this.session.me, text: trimmed, mine: true });
    this.onChange();
  }

  /** @param {Link} link @param {{ kind: 'chat', text: string } | { kind: 'sharing', on: boolean } | { kind: 'muted', audio: boolean, video: boolean }} message */
  tell(link, message) {
    if (link.channel.readyState === 'open') link.channel.send(JSON.stringify(message));
  }

  /** @param {Link} link @param {MessageEvent} event */
  heard(link, event) {
    let message;
    try {
      message = JSON.parse(String(event.data));
    } catch {
      return;
    }
    // Only from a connection whose certificate was checked: then its author is who the signature says.
    if (link.state === 'connecting' && link.held.length < 50) link.held.push(event);
    if (link.state !== 'connected' || !link.author) return;
    if (message?.kind === 'chat' && typeof message.text === 'string' && message.text.trim()) {
      this.chat.push({ author: link.author, text: message.text.trim().slice(0, chatLimit), mine: false });
    } else if (message?.kind === 'sharing') {
      link.sharing = message.on === true;
    } else if (message?.kind === 'muted') {
      link.muted = { audio: message.audio === true, video: message.video === true };
    }
    this.onChange();
  }

  /** The smaller peer ID of a pair makes the offers, so two tabs never offer to each other at once. @param {string} other */
  offersTo(other) {
    return this.peer < other;
  }

  /** @param {CallRoom} room */
  update(room) {
    const before = this.room;
    const wasHere = before?.peers.some((peer) => peer.id === this.peer);
    this.room = room;
    if (this.self) this.problem = null;
    else if (wasHere) this.dismissed = true;
    const others = this.self?.admitted ? room.peers.filter((peer) => peer.id !== this.peer && peer.admitted) : [];
    for (const [id, link] of this.links) {
      if (others.some((peer) => peer.id === id)) continue;
      link.pc.close();
      this.links.delete(id);
    }
    for (const peer of others) {
      if (!this.offersTo(peer.id) || !peer.connected) continue;
      const link = this.links.get(peer.id);
      const returned = before?.peers.some((earlier) => earlier.id === peer.id && !earlier.connected);
      if (!link || link.state === 'failed' || (returned && link.state !== 'connected' && link.state !== 'mismatch')) {
        void this.negotiation.offer(peer.id);
      }
    }
    this.onChange();
  }

  /** The ICE servers, fetched again when their TURN credentials are about to expire. */
  async iceConfiguration() {
    const fresh = this.ice && (!this.ice.expiresAt || Date.parse(this.ice.expiresAt) - Date.now() > 600_000);
    if (!fresh) this.ice = await api('GET', '/video/ice-servers');
    return /** @type {ICEConfiguration} */ (this.ice);
  }

  /**
   * Seals a signal for another tab and sends it; signals go out one after another, in order.
   * @param {string} peer @param {SignalContent} content
   */
  send(peer, content) {
    this.sending = this.sending
      .then(async () => {
        const { conversation } = this.session;
        await conversation.ensureSendingKey();
        const epoch = conversation.conversation.epoch;
        const key = conversation.epochKeys.get(epoch);
        if (!key) return;
        const signal = await sealSignal(content, {
          id: newID(), engagement: this.engagement, from: this.peer, to: peer, author: this.session.me, epoch, key,
          signingKey: conversation.keys.signing,
        });
        sendEvent({ type: 'signal', signal });
      })
      .catch(() => {});
  }

  /** Handles signals one after another, in the order they came. @param {ReceivedSignal} signal */
  receive(signal) {
    this.receiving = this.receiving
      .then(() => this.handle(signal))
      .catch(() => {
        this.rejected += 1;
        this.onChange();
      });
  }

  /** @param {ReceivedSignal} signal */
  async handle(signal) {
    // The server passes signals only between tabs that are in the call, so one may come just before the room
    // event that says this tab was let in.
    if (this.seen.has(signal.id)) return;
    this.seen.add(signal.id);
    const content = await this.open(signal);
    await this.negotiation.handle(signal.from, signal.author, content);
  }

  /**
   * Checks the author's signature and opens a signal, fetching the conversation's keys again for a newer epoch.
   * @param {ReceivedSignal} signal
   */
  async open(signal) {
    const { conversation } = this.session;
    const authorSigningKey = await conversation.signingKey(signal.author);
    if (!authorSigningKey) throw new Error('The author is not in this engagement');
    if (!conversation.epochKeys.has(signal.epoch)) await conversation.refresh();
    const key = conversation.epochKeys.get(signal.epoch);
    if (!key) throw new Error('No key for this epoch');
    return openSignal(signal, { key, authorSigningKey });
  }
}
