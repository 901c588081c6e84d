// @ts-check
/**
 * QR codes (ISO/IEC 18004), written here because the web client takes no libraries: byte mode, error correction
 * level M (15 % of the symbol may be damaged), versions 1 to 40, the mask with the lowest penalty. No DOM here:
 * `encodeQR` gives the modules, `qrPath` an SVG path of the dark ones. Tests/Web/test_qr.py decodes many random
 * payloads with an independent decoder (zxing-cpp).
 */

/** Error-correction codewords per block, level M, by version (index 0 unused). */
const ECC_PER_BLOCK = [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28,
  28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28];
/** Error-correction blocks, level M, by version. */
const BLOCKS = [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28,
  29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49];
/** Format bits of level M. */
const LEVEL_M = 0b00;
/** A row or column that looks like a finder pattern's middle. */
const FINDER_LIKE = [true, false, true, true, true, false, true];

/**
 * @typedef {{ size: number, version: number, mask: number, modules: boolean[][] }} QRCode
 * `modules[y][x]` is true for a dark module; `size` is 17 + 4 · version, without the quiet zone.
 */

/**
 * Encodes text (as UTF-8) in the smallest version that holds it at level M.
 * @param {string} text
 * @returns {QRCode}
 */
export function encodeQR(text) {
  const bytes = new TextEncoder().encode(text);
  for (let version = 1; version <= 40; version += 1) {
    const capacity = dataCodewords(version) * 8;
    const needed = 4 + (version < 10 ? 8 : 16) + bytes.length * 8;
    if (needed <= capacity) return build(version, bytes);
  }
  throw new RangeError('Too long for a QR code');
}

/**
 * The dark modules as one SVG path (each a 1×1 square), offset by the quiet zone of `border` modules.
 * @param {QRCode} code @param {number} [border]
 */
export function qrPath(code, border = 4) {
  const parts = [];
  for (let y = 0; y < code.size; y += 1) {
    for (let x = 0; x < code.size; x += 1) {
      if (code.modules[y][x]) parts.push(`M${x + border},${y + border}h1v1h-1z`);
    }
  }
  return parts.join('');
}

/** @param {number} version */
function rawModules(version) {
  let result = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const alignments = Math.floor(version / 7) + 2;
    result -= (25 * alignments - 10) * alignments - 55;
    if (version >= 7) result -= 36;
  }
  return result;
}

/** @param {number} version */
function dataCodewords(version) {
  return Math.floor(rawModules(version) / 8) - ECC_PER_BLOCK[version] * BLOCKS[version];
}

/** @param {number} version @param {Uint8Array} bytes */
function build(version, bytes) {
  const size = version * 4 + 17;
  /** @type {boolean[]} */
  const bits = [];
  const push = (/** @type {number} */ value, /** @type {number} */ length) => {
    for (let i = length - 1; i >= 0; i -= 1) bits.push(((value >>> i) & 1) === 1);
  };
  push(0b0100, 4);  // byte mode
  push(bytes.length, version < 10 ? 8 : 16);
  for (const byte of bytes) push(byte, 8);
  const capacity = dataCodewords(version) * 8;
  push(0, Math.min(4, capacity - bits.length));  // terminator
  push(0, (8 - (bits.length % 8)) % 8);
  for (let pad = 0xec; bits.length < capacity; pad ^= 0xec ^ 0x11) push(pad, 8);
  const data = new Uint8Array(bits.length / 8);
  bits.forEach((bit, index) => {
    if (bit) data[index >>> 3] |= 0x80 >>> (index & 7);
  });

  const grid = new Grid(size);
  grid.drawFunctionPatterns(version);
  grid.placeData(interleave(version, data));
  let best = { mask: 0, penalty: Infinity };
  for (let mask = 0; mask < 8; mask += 1) {
    grid.applyMask(mask);
    grid.drawFormat(mask);
    const penalty = grid.penalty();
    if (penalty < best.penalty) best = { mask, penalty };
    grid.applyMask(mask);  // XOR again: undone
  }
  grid.applyMask(best.mask);
  grid.drawFormat(best.mask);
  return { size, version, mask: best.mask, modules: grid.modules };
}

/**
 * Splits the data into blocks, adds each block's Reed–Solomon codewords, and interleaves them.
 * @param {number} version @param {Uint8Array} data
 */
function interleave(version, data) {
  const blocks = BLOCKS[version];
  const eccLength = ECC_PER_BLOCK[version];
  const total = Math.floor(rawModules(version) / 8);
  const shortBlocks = blocks - (total % blocks);
  const shortLength = Math.floor(total / blocks) - eccLength;
  const divisor = reedSolomonDivisor(eccLength);
  /** @type {Uint8Array[]} */
  const dataBlocks = [];
  /** @type {Uint8Array[]} */
  const eccBlocks = [];
  for (let block = 0, offset = 0; block < blocks; block += 1) {
    const length = shortLength + (block < shortBlocks ? 0 : 1);
    const part = data.subarray(offset, offset + length);
    offset += length;
    dataBlocks.push(part);
    eccBlocks.push(reedSolomonRemainder(part, divisor));
  }
  const result = [];
  for (let i = 0; i <= shortLength; i += 1) {
    for (const part of dataBlocks) if (i < part.length) result.push(part[i]);
  }
  for (let i = 0; i < eccLength; i += 1) {
    for (const part of eccBlocks) result.push(part[i]);
  }
  return Uint8Array.from(result);
}

/** Multiplies in GF(2⁸) modulo x⁸ + x⁴ + x³ + x² + 1. @param {number} a @param {number} b */
function multiply(a, b) {
  let product = 0;
  for (let i = 7; i >= 0; i -= 1) {
    product = (product << 1) ^ ((product >>> 7) * 0x11d);
    product ^= ((b >>> i) & 1) * a;
  }
  return product & 0xff;
}

/** The generator polynomial of `degree`, highest coefficient first (without the leading 1). @param {number} degree */
function reedSolomonDivisor(degree) {
  const result = new Uint8Array(degree);
  result[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i += 1) {
    for (let j = 0; j < degree; j += 1) {
      result[j] = multiply(result[j], root);
      if (j + 1 < degree) result[j] ^= result[j + 1];
    }
    root = multiply(root, 0x02);
  }
  return result;
}

/** @param {Uint8Array} data @param {Uint8Array} divisor */
function reedSolomonRemainder(data, divisor) {
  const result = new Uint8Array(divisor.length);
  for (const byte of data) {
    const factor = byte ^ result[0];
    result.copyWithin(0, 1);
    result[result.length - 1] = 0;
    for (let i = 0; i < result.length; i += 1) result[i] ^= multiply(divisor[i], factor);
  }
  return result;
}

class Grid {
  /** @param {number} size */
  constructor(size) {
    this.size = size;
    /** @type {boolean[][]} */
    this.modules = Array.from({ length: size }, () => new Array(size).fill(false));
    /** Modules of the fixed patterns, which data and masks leave alone. @type {boolean[][]} */
    this.reserved = Array.from({ length: size }, () => new Array(size).fill(false));
  }

  /** @param {number} x @param {number} y @param {boolean} dark */
  set(x, y, dark) {
    this.modules[y][x] = dark;
    this.reserved[y][x] = true;
  }

  /** @param {number} version */
  drawFunctionPatterns(version) {
    const size = this.size;
    for (let i = 0; i < size; i += 1) {
      this.set(6, i, i % 2 === 0);
      this.set(i, 6, i % 2 === 0);
    }
    this.finder(3, 3);
    this.finder(size - 4, 3);
    this.finder(3, size - 4);
    const positions = alignmentPositions(version, size);
    for (const x of positions) {
      for (const y of positions) {
        const nearFinder = (x === 6 && y === 6) || (x === 6 && y === size - 7) || (x === size - 7 && y === 6);
        if (!nearFinder) this.alignment(x, y);
      }
    }
    this.drawFormat(0);  // reserves the format areas; written again once the mask is chosen
    if (version >= 7) {
      let remainder = version;
      for (let i = 0; i < 12; i += 1) remainder = (remainder << 1) ^ ((remainder >>> 11) * 0x1f25);
      const bits = (version << 12) | remainder;
      for (let i = 0; i < 18; i += 1) {
        const dark = ((bits >>> i) & 1) === 1;
        const a = size - 11 + (i % 3);
        const b = Math.floor(i / 3);
        this.set(a, b, dark);
        this.set(b, a, dark);
      }
    }
  }

  /** A finder pattern centred on (x, y), with its light separator. @param {number} cx @param {number} cy */
  finder(cx, cy) {
    for (let dy = -4; dy <= 4; dy += 1) {
      for (let dx = -4; dx <= 4; dx += 1) {
        const x = cx + dx;
        const y = cy + dy;
        if (x < 0 || y < 0 || x >= this.size || y >= this.size) continue;
        const distance = Math.max(Math.abs(dx), Math.abs(dy));
        this.set(x, y, distance !== 2 && distance !== 4);
      }
    }
  }

  /** @param {number} cx @param {number} cy */
  alignment(cx, cy) {
    for (let dy = -2; dy <= 2; dy += 1) {
      for (let dx = -2; dx <= 2; dx += 1) this.set(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
    }
  }

  /** The 15 format bits (level M and the mask), twice, and the one always-dark module. @param {number} mask */
  drawFormat(mask) {
    const data = (LEVEL_M << 3) | mask;
    let remainder = data;
    for (let i = 0; i < 10; i += 1) remainder = (remainder << 1) ^ ((remainder >>> 9) * 0x537);
    const bits = ((data << 10) | remainder) ^ 0x5412;
    const bit = (/** @type {number} */ i) => ((bits >>> i) & 1) === 1;
    const size = this.size;
    for (let i = 0; i <= 5; i += 1) this.set(8, i, bit(i));
    this.set(8, 7, bit(6));
    this.set(8, 8, bit(7));
    this.set(7, 8, bit(8));
    for (let i = 9; i < 15; i += 1) this.set(14 - i, 8, bit(i));
    for (let i = 0; i < 8; i += 1) this.set(size - 1 - i, 8, bit(i));
    for (let i = 8; i < 15; i += 1) this.set(8, size - 15 + i, bit(i));
    this.set(8, size - 8, true);
  }

  /** Places the codewords in the two-module-wide zigzag from the bottom right. @param {Uint8Array} codewords */
  placeData(codewords) {
    const size = this.size;
    let index = 0;
    for (let right = size - 1; right >= 1; right -= 2) {
      if (right === 6) right = 5;  // the vertical timing pattern
      for (let step = 0; step < size; step += 1) {
        for (let column = 0; column < 2; column += 1) {
          const x = right - column;
          const upward = ((right + 1) & 2) === 0;
          const y = upward ? size - 1 - step : step;
          if (this.reserved[y][x] || index >= codewords.length * 8) continue;
          this.modules[y][x] = ((codewords[index >>> 3] >>> (7 - (index & 7))) & 1) === 1;
          index += 1;
        }
      }
    }
  }

  /** XORs the mask into the data modules (applying it twice undoes it). @param {number} mask */
  applyMask(mask) {
    for (let y = 0; y < this.size; y += 1) {
      for (let x = 0; x < this.size; x += 1) {
        if (this.reserved[y][x]) continue;
        let invert;
        switch (mask) {
          case 0: invert = (x + y) % 2 === 0; break;
          case 1: invert = y % 2 === 0; break;
          case 2: invert = x % 3 === 0; break;
          case 3: invert = (x + y) % 3 === 0; break;
          case 4: invert = (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0; break;
          case 5: invert = ((x * y) % 2) + ((x * y) % 3) === 0; break;
          case 6: invert = (((x * y) % 2) + ((x * y) % 3)) % 2 === 0; break;
          default: invert = (((x + y) % 2) + ((x * y) % 3)) % 2 === 0;
        }
        if (invert) this.modules[y][x] = !this.modules[y][x];
      }
    }
  }

  /** The standard's penalty: runs of one colour, 2×2 blocks, finder-like patterns, and imbalance of dark and light. */
  penalty() {
    const size = this.size;
    const m = this.modules;
    let score = 0;
    const line = (/** @type {(i: number) => boolean} */ at) => {
      let run = 1;
      for (let i = 1; i <= size; i += 1) {
        if (i < size && at(i) === at(i - 1)) {
          run += 1;
        } else {
          if (run >= 5) score += run - 2;
          run = 1;
        }
      }
      // 1:1:3:1:1 dark-light-dark, like a finder, with four light modules (or the quiet zone) on one side.
      for (let i = 0; i + 7 <= size; i += 1) {
        if (!FINDER_LIKE.every((dark, k) => at(i + k) === dark)) continue;
        const lightBefore = [1, 2, 3, 4].every((k) => i - k < 0 || !at(i - k));
        const lightAfter = [0, 1, 2, 3].every((k) => i + 7 + k >= size || !at(i + 7 + k));
        if (lightBefore || lightAfter) score += 40;
      }
    };
    for (let y = 0; y < size; y += 1) line((x) => m[y][x]);
    for (let x = 0; x < size; x += 1) line((y) => m[y][x]);
    for (let y = 0; y + 1 < size; y += 1) {
      for (let x = 0; x + 1 < size; x += 1) {
        const dark = m[y][x];
        if (m[y][x + 1] === dark && m[y + 1][x] === dark && m[y + 1][x + 1] === dark) score += 3;
      }
    }
    const darkCount = m.reduce((sum, row) => sum + row.filter(Boolean).length, 0);
    const total = size * size;
    score += Math.floor(Math.abs(darkCount * 20 - total * 10) / total) * 10;
    return score;
  }
}

/** The centres of the alignment patterns along one axis. @param {number} version @param {number} size */
function alignmentPositions(version, size) {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const step = version === 32 ? 26 : Math.ceil((version * 4 + 4) / (count * 2 - 2)) * 2;
  const result = [6];
  for (let position = size - 7; result.length < count; position -= step) result.splice(1, 0, position);
  return result;
}
