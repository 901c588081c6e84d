// Prints the QR matrices of the web client's encoder (Public/js/core/qr.js) for the texts given as JSON on stdin:
// [{ "size": n, "version": v, "rows": ["0110…", …] }, …]. Tests/Web/test_qr.py decodes them with zxing-cpp.
import { encodeQR } from '../../Public/js/core/qr.js';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const texts = JSON.parse(input);
const codes = texts.map((text) => {
  const code = encodeQR(text);
  return { size: code.size, version: code.version, mask: code.mask, rows: code.modules.map((row) => row.map((dark) => (dark ? '1' : '0')).join('')) };
});
process.stdout.write(JSON.stringify(codes));
