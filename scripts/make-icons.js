/* global Buffer */
// Generates the add-in's ribbon and manifest icons (assets/icon-16/32/64/80.png): a green tile with three
// white bars and a rising line, drawn with plain pixel maths and written as PNG with zlib. No image
// library needed; the PNGs are committed, run `node scripts/make-icons.js` to regenerate them.
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x + 0.5, y + 0.5);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const GREEN = [16, 124, 65, 255];
const WHITE = [255, 255, 255, 255];
const CLEAR = [0, 0, 0, 0];

/** Pixel colour in unit coordinates (0..1), sampled 4×4 for anti-aliasing. */
function glyph(u, v) {
  const r = 0.18;
  const inside = (x, y) => {
    const cx = Math.min(Math.max(x, r), 1 - r);
    const cy = Math.min(Math.max(y, r), 1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
  if (!inside(u, v)) return CLEAR;
  const bars = [
    [0.2, 0.62],
    [0.42, 0.48],
    [0.64, 0.34],
  ];
  for (const [x0, top] of bars) if (u >= x0 && u <= x0 + 0.15 && v >= top && v <= 0.82) return WHITE;
  // rising line from (0.18, 0.5) to (0.82, 0.18)
  const [ax, ay, bx, by] = [0.18, 0.5, 0.82, 0.18];
  const t = Math.max(
    0,
    Math.min(1, ((u - ax) * (bx - ax) + (v - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
  );
  const d = Math.hypot(u - (ax + t * (bx - ax)), v - (ay + t * (by - ay)));
  if (d <= 0.045) return WHITE;
  return GREEN;
}

function draw(size) {
  const n = 4;
  return png(size, (x, y) => {
    const acc = [0, 0, 0, 0];
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const c = glyph((x - 0.5 + (i + 0.5) / n) / size, (y - 0.5 + (j + 0.5) / n) / size);
        for (let k = 0; k < 3; k++) acc[k] += c[k] * c[3];
        acc[3] += c[3];
      }
    if (acc[3] === 0) return CLEAR;
    return [acc[0] / acc[3], acc[1] / acc[3], acc[2] / acc[3], acc[3] / (n * n)].map(Math.round);
  });
}

const out = path.join(__dirname, "..", "assets");
fs.mkdirSync(out, { recursive: true });
for (const size of [16, 32, 64, 80]) {
  fs.writeFileSync(path.join(out, `icon-${size}.png`), draw(size));
  console.log(`assets/icon-${size}.png`);
}
