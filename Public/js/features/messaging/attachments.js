// @ts-check
/** Attachments: sealed in the browser before upload, opened in the browser after download. */
import { newID } from '../../crypto/bytes.js';
import { APIError, errorFrom } from '../../core/api.js';
import { saveFile } from '../../core/dom.js';
import { language, t } from '../../core/i18n.js';
import { csrfToken } from '../../core/store.js';
import { openAttachment, sealAttachment } from '../../crypto/envelope.js';

/**
 * Encrypts a file in the browser and uploads the ciphertext.
 * @param {string} conversation
 * @param {File} file
 * @returns {Promise<import('../../crypto/envelope.js').AttachmentReference>}
 */
export async function uploadAttachment(conversation, file) {
  const id = newID();
  const { blob, key } = await sealAttachment(new Uint8Array(await file.arrayBuffer()), id);
  const response = await fetch(`/api/v1/conversations/${conversation}/attachments/${id}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/octet-stream', 'X-CSRF-Token': csrfToken() ?? '', 'Accept-Language': language() },
    body: blob,
    credentials: 'same-origin',
  });
  if (!response.ok) throw await errorFrom(response);
  return { id, name: file.name, type: file.type || 'application/octet-stream', size: file.size, key };
}

/**
 * Downloads an attachment, opens it in the browser and hands it to the person as a file.
 * @param {string} conversation
 * @param {import('../../crypto/envelope.js').AttachmentReference} file
 */
export async function downloadAttachment(conversation, file) {
  const response = await fetch(`/api/v1/conversations/${conversation}/attachments/${file.id}`, { credentials: 'same-origin' });
  if (!response.ok) throw new APIError(response.status, 'messaging.attachment_not_found', t('thread.download_failed'), undefined);
  const plain = await openAttachment(new Uint8Array(await response.arrayBuffer()), file.id, file.key);
  saveFile(new Blob([plain], { type: file.type }), file.name);
}

/** @param {number} bytes */
export function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
