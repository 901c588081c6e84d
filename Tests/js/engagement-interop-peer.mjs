// The JavaScript side of LotseCryptoTests/InteropTests' engagement test: opens an item and a private note that
// Swift sealed, with the browser's own modules under Node's WebCrypto, and seals an answer and a note of its own.
import { readFileSync } from 'node:fs';
import { importAccountKeys, unwrapScalars } from '../../Public/js/crypto/account-keys.js';
import { fromBase64, importAESKey } from '../../Public/js/crypto/bytes.js';
import { notesKey, openContent, openNote, sealContent, sealNote } from '../../Public/js/crypto/engagement.js';
import { importSigningPublicKey } from '../../Public/js/crypto/envelope.js';

const input = JSON.parse(readFileSync(0, 'utf8'));
const scalars = await unwrapScalars(input.bob.wrappedKeys, fromBase64(input.bob.wrapKey), input.bob.id);
const bob = await importAccountKeys(scalars, input.bob.publicKeys);
const aliceSigning = await importSigningPublicKey(input.alice.publicKeys.signingKey);
const bobSigning = await importSigningPublicKey(input.bob.publicKeys.signingKey);
const key = await importAESKey(fromBase64(input.conversationKey));
const ownNotes = await notesKey(bob.agreement, bob.publicKeys.agreementKey);
const engagement = input.engagement;

const item = await openContent(input.item, { engagement, key, authorSigningKey: aliceSigning });
const note = await openNote(input.note, { engagement, key: ownNotes, authorSigningKey: bobSigning });
let refusesMoved = false;
try {
  await openContent(input.item, { engagement: crypto.randomUUID(), key, authorSigningKey: aliceSigning });
} catch {
  refusesMoved = true;
}
const answer = await sealContent(
  { title: `Re: ${item.title}`, text: 'Erledigt ✅' },
  { id: crypto.randomUUID(), engagement, author: input.bob.id, epoch: 1, key, signingKey: bob.signing },
);
const ownNote = await sealNote(
  { text: `${note.text} — ergänzt` },
  { id: crypto.randomUUID(), engagement, author: input.bob.id, key: ownNotes, signingKey: bob.signing },
);
console.log(JSON.stringify({ item, note, refusesMoved, answer, ownNote }));
