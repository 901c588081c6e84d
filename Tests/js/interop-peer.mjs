// The JavaScript side of LotseCryptoTests/InteropTests: reads what Swift sealed (JSON on stdin), opens it with the
// browser's own modules under Node's WebCrypto, seals answers, and prints them as JSON for Swift to open.
import { readFileSync } from 'node:fs';
import { importAccountKeys, parseRecoveryKey, recoveryWrapKey, safetyNumber, unwrapScalars, wrapAccountKeys } from '../../Public/js/crypto/account-keys.js';
import { fromBase64, toBase64 } from '../../Public/js/crypto/bytes.js';
import {
  importSigningPublicKey,
  newConversationKey,
  openAttachment,
  openMessage,
  sealAttachment,
  sealMessage,
  unwrapConversationKey,
  wrapConversationKey,
} from '../../Public/js/crypto/envelope.js';

const input = JSON.parse(readFileSync(0, 'utf8'));
const scalars = await unwrapScalars(input.bob.wrappedKeys, fromBase64(input.bob.wrapKey), input.bob.id);
const bob = await importAccountKeys(scalars, input.bob.publicKeys);
const aliceSigning = await importSigningPublicKey(input.alice.publicKeys.signingKey);

const key = await unwrapConversationKey(input.conversationKey, {
  conversation: input.conversation,
  member: input.bob.id,
  agreementKey: bob.agreement,
  agreementPoint: bob.publicKeys.agreementKey,
  distributorSigningKey: aliceSigning,
});
const received = await openMessage(input.message, { key, senderSigningKey: aliceSigning });
const file = await openAttachment(fromBase64(input.attachment.blob), received.attachments[0].id, received.attachments[0].key);

const attachmentId = crypto.randomUUID();
const reply = new TextEncoder().encode(`reply to ${new TextDecoder().decode(file)}`);
const sealedFile = await sealAttachment(reply, attachmentId);
const content = {
  kind: 'letter',
  subject: 'Antwort',
  text: `Re: ${received.text} — grüße 👋`,
  attachments: [{ id: attachmentId, name: 'antwort.txt', type: 'text/plain', size: reply.length, key: sealedFile.key }],
};
const envelope = await sealMessage(content, { id: crypto.randomUUID(), conversation: input.conversation, sender: input.bob.id, epoch: 1, key, signingKey: bob.signing });
const nextKey = newConversationKey();
const rotated = await wrapConversationKey({
  key: nextKey,
  member: input.alice.id,
  memberAgreementKey: input.alice.publicKeys.agreementKey,
  conversation: input.conversation,
  epoch: 2,
  distributor: input.bob.id,
  signingKey: bob.signing,
});
const recovery = /** @type {Uint8Array} */ (parseRecoveryKey(input.bob.recoveryKey));

console.log(
  JSON.stringify({
    received,
    file: new TextDecoder().decode(file),
    envelope,
    attachmentBlob: toBase64(sealedFile.blob),
    rotated,
    nextKey: toBase64(nextKey),
    recoveryWrapped: await wrapAccountKeys(scalars, await recoveryWrapKey(recovery), input.bob.id),
    safetyNumber: await safetyNumber(input.alice.publicKeys, bob.publicKeys),
  }),
);
