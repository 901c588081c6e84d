// @ts-check
/**
 * The peer connections of one tab in a call (docs/video.md): a negotiation with every other admitted tab, the media
 * it sends, and the check that the certificate met in DTLS is the one the other end signed. Owned by a `Call`,
 * which seals and relays the signals and draws nothing itself either.
 */
import { newID } from '../../crypto/bytes.js';
import { remoteCertificateFingerprint, route, safetyCode, sdpFingerprint } from './fingerprint.js';

/**
 * @typedef {import('./call.js').Call} Call
 * @typedef {import('../../crypto/call.js').SignalContent} SignalContent
 * @typedef {'connecting'|'connected'|'reconnecting'|'failed'|'mismatch'} LinkState
 */

/** How long an offer may go unanswered (a signal lost while a socket was down) before it is made again. */
const patience = 20_000;

/** The connection to one other tab: one negotiation (`connection`) at a time; a restart makes a new one. */
export class Link {
  /** @param {string} peer @param {string} connection @param {RTCPeerConnection} pc */
  constructor(peer, connection, pc) {
    this.peer = peer;
    this.connection = connection;
    this.pc = pc;
    /** @type {LinkState} */
    this.state = 'connecting';
    this.stream = new MediaStream();
    /** The account that signed the other end's description. @type {string|null} */
    this.author = null;
    /** The certificate fingerprint the other end signed. @type {string|null} */
    this.signedFingerprint = null;
    /** @type {string|null} */
    this.code = null;
    /** @type {'relay'|'direct'|null} */
    this.route = null;
    /** The sender of this tab's picture (camera or screen), once added. @type {RTCRtpSender|null} */
    this.videoSender = null;
    /** In-call chat and notices, end to end over DTLS; opened with the connection (negotiated, id 0). */
    this.channel = pc.createDataChannel('lotse', { negotiated: true, id: 0 });
    /** The other end is showing its screen. */
    this.sharing = false;
    /** What the other end turned off: their microphone, their camera. */
    this.muted = { audio: false, video: false };
    /** Data-channel messages that came before the certificate check finished. @type {MessageEvent[]} */
    this.held = [];
  }
}

export class Negotiation {
  /** @param {Call} call */
  constructor(call) {
    this.call = call;
    /** @type {Map<string, Link>} by the other tab's peer ID */
    this.links = new Map();
    /** Candidates that came before their offer, by negotiation. @type {Map<string, RTCIceCandidateInit[]>} */
    this.early = new Map();
  }

  /**
   * A new negotiation with another tab, replacing any earlier one.
   * @param {string} peer @param {string} connection
   */
  async connect(peer, connection) {
    const ice = await this.call.iceConfiguration();
    this.links.get(peer)?.pc.close();
    const pc = new RTCPeerConnection({ iceServers: ice.iceServers, iceTransportPolicy: ice.iceTransportPolicy });
    const link = new Link(peer, connection, pc);
    this.links.set(peer, link);
    const current = () => this.links.get(peer) === link;
    pc.addEventListener('icecandidate', ({ candidate }) => {
      if (candidate && current()) this.call.send(peer, { kind: 'candidate', candidate: candidate.toJSON(), connection });
    });
    pc.addEventListener('track', ({ track }) => {
      link.stream.addTrack(track);
      this.call.onChange();
    });
    pc.addEventListener('connectionstatechange', () => {
      if (current()) void this.connectionChanged(link);
    });
    link.channel.addEventListener('message', (event) => this.call.heard(link, event));
    link.channel.addEventListener('open', () => {
      if (this.call.screen) this.call.tell(link, { kind: 'sharing', on: true });
      this.call.tell(link, this.call.mutedState());
    });
    return link;
  }

  /**
   * Sends this tab's microphone and picture (camera or screen). Without a microphone an offer still asks to receive
   * sound. Without a camera the picture's place is kept all the same, sending nothing, so that a screen shared later
   * takes it without negotiating anew, as it does a camera's.
   * @param {Link} link @param {boolean} offering
   */
  addMedia(link, offering) {
    const microphone = this.call.local.getAudioTracks()[0];
    if (microphone) link.pc.addTrack(microphone, this.call.local);
    else if (offering) link.pc.addTransceiver('audio', { direction: 'recvonly' });
    const picture = this.call.picture;
    if (picture) link.videoSender = link.pc.addTrack(picture, this.call.local);
    else if (offering) link.videoSender = link.pc.addTransceiver('video', { direction: 'sendrecv', streams: [this.call.local] }).sender;
    else {
      const offered = link.pc.getTransceivers().find((transceiver) => transceiver.receiver.track.kind === 'video');
      if (offered) {
        offered.direction = 'sendrecv';
        link.videoSender = offered.sender;
      }
    }
  }

  /** @param {string} peer */
  async offer(peer) {
    const link = await this.connect(peer, newID());
    this.addMedia(link, true);
    await link.pc.setLocalDescription(await link.pc.createOffer());
    this.sendDescription(link, 'offer');
    setTimeout(() => {
      const present = this.call.room?.peers.some((candidate) => candidate.id === peer && candidate.admitted && candidate.connected);
      if (this.links.get(peer) === link && link.state === 'connecting' && !link.pc.remoteDescription && present) void this.offer(peer);
    }, patience);
  }

  /** @param {Link} link @param {'offer'|'answer'} kind */
  sendDescription(link, kind) {
    const sdp = link.pc.localDescription?.sdp ?? '';
    this.call.send(link.peer, { kind, sdp, fingerprint: sdpFingerprint(sdp) ?? '', connection: link.connection });
  }

  /** @param {Link} link */
  async connectionChanged(link) {
    const state = link.pc.connectionState;
    if (state === 'connected') await this.check(link);
    else if (state === 'disconnected') link.state = 'reconnecting';
    else if (state === 'failed' && link.state !== 'mismatch') {
      link.state = 'failed';
      const peer = this.call.room?.peers.find((candidate) => candidate.id === link.peer);
      if (this.call.offersTo(link.peer) && peer?.connected) void this.offer(link.peer);
    }
    this.call.onChange();
  }

  /**
   * The check that no one sits in between: the certificate met in DTLS must be the one the other end signed.
   * @param {Link} link
   */
  async check(link) {
    const stats = await link.pc.getStats();
    const met = remoteCertificateFingerprint(stats);
    if (!met || met !== link.signedFingerprint) {
      link.state = 'mismatch';
      link.pc.close();
      return;
    }
    link.state = 'connected';
    link.code = await safetyCode(sdpFingerprint(link.pc.localDescription?.sdp ?? '') ?? '', met);
    link.route = route(stats);
    for (const event of link.held.splice(0)) this.call.heard(link, event);
  }

  /**
   * Takes an opened signal from another tab: an offer (answered), an answer, or an ICE candidate.
   * @param {string} peer @param {string} author who signed it @param {SignalContent} content
   */
  async handle(peer, author, content) {
    if (content.kind === 'candidate') {
      const link = this.links.get(peer);
      if (link?.connection === content.connection && link.pc.remoteDescription) {
        await link.pc.addIceCandidate(content.candidate).catch(() => {});
      } else {
        this.early.set(content.connection, [...(this.early.get(content.connection) ?? []), content.candidate]);
      }
      return;
    }
    if (sdpFingerprint(content.sdp) !== content.fingerprint) throw new Error('The description does not carry the signed fingerprint');
    if (content.kind === 'offer') {
      // After a failed check the warning stays; reloading the page tries again.
      if (this.call.offersTo(peer) || this.links.get(peer)?.state === 'mismatch') return;
      const link = await this.connect(peer, content.connection);
      Object.assign(link, { author: author, signedFingerprint: content.fingerprint });
      await link.pc.setRemoteDescription({ type: 'offer', sdp: content.sdp });
      this.addMedia(link, false);
      await link.pc.setLocalDescription(await link.pc.createAnswer());
      this.sendDescription(link, 'answer');
      await this.addEarlyCandidates(link);
    } else {
      const link = this.links.get(peer);
      if (!link || link.connection !== content.connection || link.pc.signalingState !== 'have-local-offer') return;
      Object.assign(link, { author: author, signedFingerprint: content.fingerprint });
      await link.pc.setRemoteDescription({ type: 'answer', sdp: content.sdp });
      await this.addEarlyCandidates(link);
    }
    this.call.onChange();
  }

  /** @param {Link} link */
  async addEarlyCandidates(link) {
    const waiting = this.early.get(link.connection) ?? [];
    this.early.delete(link.connection);
    for (const candidate of waiting) await link.pc.addIceCandidate(candidate).catch(() => {});
  }
}
