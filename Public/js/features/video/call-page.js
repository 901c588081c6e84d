// @ts-check
/**
 * The call page `/call/:engagementID`: first the pre-join screen (own picture, level, devices), then this tab's
 * camera small and the other people's video large, the waiting room (the coach lets people in), microphone and camera
 * switches, full screen, and for each other person the check that the connection is really theirs, with a safety
 * code both can compare.
 */
import { api } from '../../core/api.js';
import { h, removeWhenGone, replaceChildren } from '../../core/dom.js';
import { actionButton, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { navigate } from '../../core/router.js';
import { isConnected } from '../../core/socket.js';
import { EngagementSession } from '../engagements/engagement-session.js';
import { otherPeople } from '../engagements/format.js';
import { openEngagement } from '../engagements/open-engagement.js';
import { Call, chatLimit } from './call.js';
import { localMedia, mediaProblem } from './media.js';
import { preJoin } from './prejoin.js';
import { checkSummary } from './tech-check.js';

/** @param {{ params: Record<string, string> }} route */
export async function callView({ params }) {
  const session = await openEngagement(params.engagementID, t('call.missing'));
  if (!(session instanceof EngagementSession)) return session;
  // The coach sees in the waiting room whether each client passed the tech check; it is only a hint, so a failure to
  // fetch it does not keep anyone out.
  const [media, checks] = await Promise.all([localMedia(),
    session.isCoach ? api('GET', `/engagements/${session.engagement.id}/tech-checks`).catch(() => []) : []]);
  const shell = h('div', { class: 'call-shell' });
  /** @type {CallPage|null} */
  let page = null;
  const title = t('call.title', { names: otherPeople(session.engagement, session.me) });
  replaceChildren(shell, preJoin({
    title, isCoach: session.isCoach, coachName: session.engagement.coach.displayName, media,
    join: (choices) => {
      const joined = new CallPage(session, media, checks, choices);
      page = joined;
      replaceChildren(shell, joined.root);
      /** @type {HTMLElement|null} */ (joined.root.querySelector('h1'))?.focus();
      void joined.call.start();
    },
  }));
  removeWhenGone(shell, () => {
    if (page && !page.left) page.call.leave();
    for (const track of media.stream.getTracks()) track.stop();
  });
  return shell;
}

class CallPage {
  /**
   * @param {EngagementSession} session @param {import('./media.js').LocalMedia} media
   * @param {import('./tech-check.js').TechCheck[]} checks the clients' tech checks, for the coach
   * @param {import('./prejoin.js').JoinChoices} choices microphone and camera on or off, and the speaker
   */
  constructor(session, media, checks, choices) {
    this.session = session;
    this.checks = new Map(checks.map((check) => [check.userId, check]));
    this.media = media;
    this.speaker = choices.speaker;
    this.left = false;
    document.addEventListener('fullscreenchange', () => {
      if (this.root.isConnected) this.drawControls();
    });
    this.call = new Call(session, media.stream, () => this.draw());
    for (const track of media.stream.getTracks()) track.enabled = track.kind === 'audio' ? choices.audio : choices.video;
    /** @type {Map<string, HTMLElement>} tiles by peer, kept so their video keeps playing across redraws */
    this.tiles = new Map();
    this.status = h('div', { class: 'call-status', 'aria-live': 'polite' });
    this.lobby = h('div', { class: 'call-lobby' });
    this.grid = h('div', { class: 'call-grid' }, this.ownTile());
    this.controls = h('div', { class: 'call-controls', role: 'group', 'aria-label': t('call.controls') });
    this.said = h('ol', { class: 'call-chat-lines', 'aria-live': 'polite' });
    const problem = mediaProblem(media);
    this.root = h('section', { class: 'stack call' },
      h('h1', { tabindex: '-1' }, t('call.title', { names: otherPeople(session.engagement, session.me) })),
      problem ? notice(problem, 'warning') : null,
      problem ? h('p', {}, h('a', { href: '/tech-check', 'data-link': true }, t('call.tech_check'))) : null,
      this.status, this.lobby, this.grid, this.controls, this.chatPanel());
    this.draw();
  }

  /** Chat during the call: straight to the others' browsers, kept nowhere. */
  chatPanel() {
    const input = /** @type {HTMLInputElement} */ (h('input', { type: 'text', id: 'call-chat-input', maxlength: String(chatLimit), autocomplete: 'off' }));
    const send = (/** @type {Event} */ event) => {
      event.preventDefault();
      this.call.say(input.value);
      input.value = '';
    };
    return h('section', { class: 'card call-chat', 'aria-labelledby': 'call-chat-title' },
      h('h2', { id: 'call-chat-title' }, t('call.chat')),
      h('p', { class: 'hint' }, t('call.chat_hint')),
      this.said,
      h('form', { onsubmit: send },
        h('div', { class: 'field' }, h('label', { for: 'call-chat-input' }, t('call.chat_label')), input),
        h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('call.chat_send')))));
  }

  ownTile() {
    const video = /** @type {HTMLVideoElement} */ (h('video', { autoplay: true, playsinline: true, class: 'own' }));
    video.muted = true;
    video.srcObject = this.media.stream;
    return h('figure', { class: 'tile own-tile' }, video, h('figcaption', {}, t('call.you'), h('span', { class: 'muted-badges' })));
  }

  draw() {
    const { call } = this;
    const self = call.self;
    const lines = [];
    if (call.problem) lines.push(notice(call.problem, 'warning'));
    else if (call.dismissed) {
      lines.push(notice(t('call.dismissed', { coach: this.session.engagement.coach.displayName })),
        h('p', {}, h('button', { type: 'button', class: 'primary', onclick: () => call.rejoin() }, t('call.rejoin'))));
    } else if (!isConnected()) lines.push(notice(t('call.offline'), 'warning'));
    else if (!self) lines.push(notice(t('call.joining')));
    else if (!self.admitted) lines.push(notice(t('call.waiting', { coach: this.session.engagement.coach.displayName })));
    else if (call.links.size === 0) lines.push(notice(t('call.alone')));
    if (call.rejected) lines.push(notice(t('call.rejected', { count: call.rejected }), 'warning'));
    replaceChildren(this.status, ...lines);
    this.drawLobby();
    this.drawTiles();
    this.drawControls();
    const { session } = this;
    replaceChildren(this.said, ...call.chat.map((line) => h('li', { class: line.mine ? 'mine' : null },
      h('strong', {}, line.mine ? t('call.you') : session.name(line.author)), ': ', line.text)));
  }

  /** The coach sees who waits, and lets them in or not. */
  drawLobby() {
    const { call, session } = this;
    const waiting = session.isCoach ? call.waiting : [];
    replaceChildren(this.lobby, waiting.length
      ? h('section', { class: 'card', 'aria-labelledby': 'lobby-title' }, h('h2', { id: 'lobby-title' }, t('call.lobby')),
          h('ul', { class: 'lobby' }, ...waiting.map((peer) => {
            const name = session.name(peer.user);
            return h('li', {},
              h('span', {}, name),
              h('small', { class: 'lobby-check' }, checkSummary(this.checks.get(peer.user) ?? null, { own: false, name })),
              h('button', { type: 'button', class: 'primary', onclick: () => call.admit(peer.id) }, t('call.admit', { name })),
              h('button', { type: 'button', onclick: () => call.dismiss(peer.id) }, t('call.not_now')));
          })))
      : null);
  }

  drawTiles() {
    const { call, session } = this;
    for (const [peer, tile] of this.tiles) {
      if (!call.links.has(peer)) {
        tile.remove();
        this.tiles.delete(peer);
      }
    }
    for (const link of call.links.values()) {
      let tile = this.tiles.get(link.peer);
      if (!tile) {
        const video = /** @type {HTMLVideoElement} */ (h('video', { autoplay: true, playsinline: true, class: 'remote' }));
        // The speaker chosen before joining, where the browser lets a page choose.
        if (this.speaker && 'setSinkId' in video) void /** @type {any} */ (video).setSinkId(this.speaker).catch(() => {});
        tile = h('figure', { class: 'tile', 'data-peer': link.peer }, video, h('figcaption', {}));
        this.tiles.set(link.peer, tile);
        this.grid.append(tile);
      }
      const video = /** @type {HTMLVideoElement} */ (tile.querySelector('video'));
      if (video.srcObject !== link.stream) video.srcObject = link.stream;
      const user = link.author ?? call.room?.peers.find((peer) => peer.id === link.peer)?.user;
      const name = user ? session.name(user) : '?';
      const away = call.room?.peers.some((peer) => peer.id === link.peer && !peer.connected);
      replaceChildren(/** @type {HTMLElement} */ (tile.querySelector('figcaption')),
        h('strong', {}, name),
        h('span', { class: `link-state ${link.state}` }, t(`call.state.${away && link.state !== 'mismatch' ? 'reconnecting' : link.state}`)),
        link.code ? h('span', { class: 'safety-code' }, t('call.safety_code', { code: link.code })) : null,
        link.code ? h('span', { class: 'hint' }, t('call.safety_hint', { name })) : null,
        link.route ? h('span', { class: 'hint' }, t(`call.route.${link.route}`)) : null,
        link.sharing && link.state === 'connected' ? h('span', { class: 'sharing' }, t('call.sharing', { name })) : null,
        link.state === 'mismatch' ? notice(t('call.mismatch', { name }), 'warning') : null,
        mutedBadges(link.muted));
      tile.classList.toggle('screen', link.sharing);
      tile.classList.toggle('camera-off', link.muted.video && !link.sharing);
    }
    this.grid.classList.toggle('pair', call.links.size === 1);
    const own = this.grid.querySelector('.own-tile .muted-badges');
    if (own) replaceChildren(own, mutedBadges({ audio: !call.isSending('audio') && call.canSend('audio'), video: !call.isSending('video') && call.canSend('video') }));
  }

  drawControls() {
    const { call } = this;
    /** @param {'audio'|'video'} kind */
    const toggle = (kind) => {
      const sending = call.isSending(kind);
      if (!call.canSend(kind)) return h('button', { type: 'button', class: 'off', disabled: true }, t(`call.${kind}.none`));
      return h('button', { type: 'button', class: sending ? null : 'off', onclick: () => call.setSending(kind, !sending) },
        t(`call.${kind}.${sending ? 'stop' : 'start'}`));
    };
    const sharing = !!call.screen;
    const share = 'getDisplayMedia' in (navigator.mediaDevices ?? {})
      ? actionButton(t(sharing ? 'call.stop_sharing' : 'call.share'), () => (sharing ? call.stopSharing() : call.shareScreen()))
      : null;
    const fullScreen = document.fullscreenEnabled
      ? h('button', { type: 'button', onclick: () => void (document.fullscreenElement ? document.exitFullscreen() : this.root.requestFullscreen()).catch(() => {}) },
        t(document.fullscreenElement ? 'call.exit_full_screen' : 'call.full_screen'))
      : null;
    replaceChildren(this.controls, toggle('audio'), toggle('video'), share, fullScreen,
      h('button', { type: 'button', class: 'danger', onclick: () => this.leave() }, t('call.leave')));
    const own = /** @type {HTMLVideoElement} */ (this.grid.querySelector('video.own'));
    const showing = sharing ? new MediaStream([/** @type {MediaStreamTrack} */ (call.screen)]) : this.media.stream;
    if (sharing !== own.classList.contains('screen')) {
      own.srcObject = showing;
      own.classList.toggle('screen', sharing);
    }
    // A video whose source changed, or that was moved, may stay paused; one's own picture must keep running.
    if (own.paused) void own.play().catch(() => {});
  }

  leave() {
    this.left = true;
    this.call.leave();
    navigate(`/engagements/${this.session.engagement.id}`);
  }
}

/**
 * "Microphone off" and "Camera off" next to a name, so nobody talks into a muted microphone unawares.
 * @param {{ audio: boolean, video: boolean }} muted
 */
function mutedBadges(muted) {
  return [
    muted.audio ? h('span', { class: 'badge muted' }, t('call.muted_microphone')) : null,
    muted.video ? h('span', { class: 'badge muted' }, t('call.muted_camera')) : null,
  ];
}
