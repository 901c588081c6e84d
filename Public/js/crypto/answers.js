// @ts-check
/**
 * Free-text registration answers, byte for byte as LotseCrypto's `EngagementCipher.sealAnswers` (docs/programs.md,
 * "Free text for staff"): a JSON object of question ID to text, sealed like engagement text under a fresh key with the
 * label `lotse registration answers v1`, bound to the participation; the key is wrapped like a conversation key of
 * the participation's ID (epoch 1) for the participant and every staff member.
 */
import { importAESKey } from './bytes.js';
import { importSigningPublicKey, newConversationKey, unwrapConversationKey, wrapConversationKey } from './envelope.js';
import { open, seal } from './engagement.js';

const label = 'lotse registration answers v1';

/**
 * @typedef {{ sealed: import('./engagement.js').SealedContent, keys: import('./envelope.js').WrappedConversationKey[],
 *   authorSigningKey?: string|null }} SealedAnswers
 */

/**
 * Seals answers for `readers` (the participant among them).
 * @param {Record<string, string>} answers question ID to text
 * @param {{ participation: string, author: string, signingKey: CryptoKey, readers: Array<{ userId: string, agreementKey: string }> }} context
 * @returns {Promise<SealedAnswers>}
 */
export async function sealAnswers(answers, { participation, author, signingKey, readers }) {
  const raw = newConversationKey();
  const keys = await Promise.all(readers.map((reader) => wrapConversationKey({
    key: raw, member: reader.userId, memberAgreementKey: reader.agreementKey, conversation: participation, epoch: 1,
    distributor: author, signingKey,
  })));
  const sealed = await seal(label, answers, { id: participation, engagement: participation, author, epoch: 1, key: await importAESKey(raw), signingKey });
  return { sealed, keys };
}

/**
 * Opens answers with the reader's own wrapped key, after checking the participant's signatures; null when there is
 * no key for the reader (they joined the staff after the answers were sealed).
 * @param {SealedAnswers} value
 * @param {{ participation: string, me: string, keys: import('./account-keys.js').UnlockedKeys }} context
 * @returns {Promise<Record<string, string>|null>}
 */
export async function openAnswers(value, { participation, me, keys }) {
  const wrapped = value.keys.find((key) => key.member === me);
  if (!wrapped || !value.authorSigningKey) return null;
  const authorSigningKey = await importSigningPublicKey(value.authorSigningKey);
  const key = await unwrapConversationKey(wrapped, {
    conversation: participation, member: me, agreementKey: keys.agreement, agreementPoint: keys.publicKeys.agreementKey,
    distributorSigningKey: authorSigningKey,
  });
  if (value.sealed.id !== participation || value.sealed.epoch !== 1) throw new Error('Answers bound elsewhere');
  return /** @type {Record<string, string>} */ (await open(label, value.sealed, { engagement: participation, key, authorSigningKey }));
}
