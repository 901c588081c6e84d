// @ts-check
import { api } from '../../core/api.js';

/**
 * The public keys of the people whose addresses are in `text` (separated by commas, semicolons or spaces).
 * @param {string} text
 * @returns {Promise<Array<{ userId: string, displayName: string, agreementKey: string, signingKey: string }>>}
 */
export async function lookUpPeople(text) {
  const emails = [...new Set(text.split(/[,;\s]+/).map((email) => email.trim()).filter(Boolean))];
  const people = [];
  for (const email of emails) people.push(await api('GET', `/keys/lookup?email=${encodeURIComponent(email)}`));
  return people;
}
