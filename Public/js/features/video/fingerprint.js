// @ts-check
/**
 * Who is at the other end of a call's DTLS: the certificate fingerprint an SDP announces, the one the browser really
 * saw, and the short safety code both people can compare. No DOM here (docs/video.md, "Checking the other end").
 */

/**
 * The DTLS certificate fingerprint an SDP announces, as `sha-256 AB:CD:…`; null when there is none, or several
 * different ones.
 * @param {string} sdp
 * @returns {string|null}
 */
export function sdpFingerprint(sdp) {
  const found = new Set([...sdp.matchAll(/^a=fingerprint:(\S+) ([0-9A-Fa-f:]+)\s*$/gm)].map(([, algorithm, value]) => `${algorithm.toLowerCase()} ${value.toUpperCase()}`));
  return found.size === 1 ? [...found][0] : null;
}

/**
 * The fingerprint of the certificate the other end presented in the DTLS handshake, from `getStats()`; null before
 * the handshake.
 * @param {RTCStatsReport|Map<string, any>} stats
 * @returns {string|null}
 */
export function remoteCertificateFingerprint(stats) {
  for (const entry of stats.values()) {
    if (entry.type !== 'transport' || !entry.remoteCertificateId) continue;
    const certificate = stats.get(entry.remoteCertificateId);
    if (certificate?.fingerprint && certificate.fingerprintAlgorithm) {
      return `${certificate.fingerprintAlgorithm.toLowerCase()} ${certificate.fingerprint.toUpperCase()}`;
    }
  }
  return null;
}

/**
 * How the media travels, from `getStats()`: `relay` through a TURN server, `direct` otherwise; null before ICE chose.
 * @param {RTCStatsReport|Map<string, any>} stats
 * @returns {'relay'|'direct'|null}
 */
export function route(stats) {
  for (const entry of stats.values()) {
    if (entry.type !== 'transport' || !entry.selectedCandidatePairId) continue;
    const pair = stats.get(entry.selectedCandidatePairId);
    const ends = [stats.get(pair?.localCandidateId), stats.get(pair?.remoteCandidateId)];
    if (ends.some((end) => !end)) return null;
    return ends.some((end) => end.candidateType === 'relay') ? 'relay' : 'direct';
  }
  return null;
}

/**
 * Six digits both ends compute alike from the two fingerprints: if they match, no one sits in between.
 * @param {string} mine @param {string} theirs
 * @returns {Promise<string>} e.g. `482 193`
 */
export async function safetyCode(mine, theirs) {
  const input = new TextEncoder().encode(`lotse call safety code v1\n${[mine, theirs].sort().join('\n')}`);
  const digest = new DataView(await crypto.subtle.digest('SHA-256', input));
  const digits = String(digest.getUint32(0) % 1_000_000).padStart(6, '0');
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}
