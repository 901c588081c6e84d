// @ts-check
/**
 * A ZIP archive written piece by piece into Blob parts (docs/privacy.md, "Export"). The export streams page after
 * page of decrypted history into it; each piece becomes a Blob at once, which the browser keeps outside the
 * script's heap (Chromium moves large ones to disk), so the heap holds one page at a time, not the whole history.
 * Entries are stored, not compressed: what they hold is mostly already compressed (photos, PDFs) or small, and a
 * stored archive opens everywhere. Names are UTF-8 (flag bit 11); the archive stays under 4 GiB (no ZIP64).
 */

const encoder = new TextEncoder();

/** The CRC-32 table (polynomial 0xEDB88320), made once. */
const table = (() => {
  const entries = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    entries[n] = c >>> 0;
  }
  return entries;
})();

/**
 * Continues a CRC-32 over more bytes.
 * @param {number} crc the running value (start with 0)
 * @param {Uint8Array} bytes
 */
export function crc32(crc, bytes) {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** @param {Date} date @returns {{ time: number, date: number }} MS-DOS local time, as ZIP keeps it */
function dosTime(date) {
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: (Math.max(date.getFullYear() - 1980, 0) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/** One entry being written: its parts so far, their length and CRC. */
export class ZipEntry {
  /** @param {string} name */
  constructor(name) {
    this.name = name;
    /** @type {Blob[]} */
    this.parts = [];
    this.size = 0;
    this.crc = 0;
  }

  /**
   * Appends text (UTF-8) or bytes. The bytes are copied into a Blob; the caller may drop them.
   * @param {string|Uint8Array} chunk
   */
  write(chunk) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    if (!bytes.length) return;
    this.crc = crc32(this.crc, bytes);
    this.size += bytes.length;
    this.parts.push(new Blob([bytes]));
  }
}

export class ZipWriter {
  constructor(now = new Date()) {
    this.stamp = dosTime(now);
    /** @type {Blob[]} */
    this.parts = [];
    /** @type {Uint8Array[]} */
    this.directory = [];
    this.offset = 0;
    this.count = 0;
    /** @type {Set<string>} */
    this.names = new Set();
  }

  /**
   * A name not in the archive yet: a second `notes.txt` becomes `notes (2).txt`.
   * @param {string} wanted
   */
  uniqueName(wanted) {
    if (!this.names.has(wanted)) return wanted;
    const dot = wanted.lastIndexOf('.');
    const [stem, extension] = dot > wanted.lastIndexOf('/') + 1 ? [wanted.slice(0, dot), wanted.slice(dot)] : [wanted, ''];
    for (let n = 2; ; n++) {
      const name = `${stem} (${n})${extension}`;
      if (!this.names.has(name)) return name;
    }
  }

  /**
   * Adds a finished entry: its header, then its parts.
   * @param {ZipEntry} entry
   */
  add(entry) {
    this.names.add(entry.name);
    const name = encoder.encode(entry.name);
    const header = new DataView(new ArrayBuffer(30));
    header.setUint32(0, 0x04034b50, true);
    header.setUint16(4, 20, true);  // version needed: 2.0
    header.setUint16(6, 0x0800, true);  // the name is UTF-8
    header.setUint16(8, 0, true);  // stored
    header.setUint16(10, this.stamp.time, true);
    header.setUint16(12, this.stamp.date, true);
    header.setUint32(14, entry.crc, true);
    header.setUint32(18, entry.size, true);
    header.setUint32(22, entry.size, true);
    header.setUint16(26, name.length, true);
    header.setUint16(28, 0, true);
    this.parts.push(new Blob([header.buffer, name]), ...entry.parts);

    const central = new DataView(new ArrayBuffer(46 + name.length));
    central.setUint32(0, 0x02014b50, true);
    central.setUint16(4, 20, true);  // made by: 2.0
    central.setUint16(6, 20, true);
    central.setUint16(8, 0x0800, true);
    central.setUint16(10, 0, true);
    central.setUint16(12, this.stamp.time, true);
    central.setUint16(14, this.stamp.date, true);
    central.setUint32(16, entry.crc, true);
    central.setUint32(20, entry.size, true);
    central.setUint32(24, entry.size, true);
    central.setUint16(28, name.length, true);
    central.setUint32(42, this.offset, true);
    new Uint8Array(central.buffer).set(name, 46);
    this.directory.push(new Uint8Array(central.buffer));

    this.offset += 30 + name.length + entry.size;
    this.count += 1;
    if (this.offset >= 0xffffffff || this.count >= 0xffff) throw new Error('privacy.export_too_large');
  }

  /**
   * Adds a whole file at once.
   * @param {string} name @param {string|Uint8Array} content
   */
  addFile(name, content) {
    const entry = new ZipEntry(name);
    entry.write(content);
    this.add(entry);
  }

  /** @returns {Blob} the archive: entries, central directory, end record */
  finish() {
    const size = this.directory.reduce((sum, record) => sum + record.length, 0);
    const end = new DataView(new ArrayBuffer(22));
    end.setUint32(0, 0x06054b50, true);
    end.setUint16(8, this.count, true);
    end.setUint16(10, this.count, true);
    end.setUint32(12, size, true);
    end.setUint32(16, this.offset, true);
    return new Blob([...this.parts, ...this.directory, end.buffer], { type: 'application/zip' });
  }
}
