'use strict';
// Reference decodes for CodecReferenceTest (run make-codec-fixtures.sh first; see README.md):
//  - every *.jpg in src/test/resources/engine/codec/ decoded by jpeg-js (progressive, multi-scan, Adobe CMYK/YCCK);
//  - exif-orientation-1..8.jpg: the jpeg-js 95x120 crop sample1-face3-tall-odd.q90.jpg with an APP1 Exif segment
//    (orientation tag only; little-endian TIFF for odd values, big-endian for even) put after SOI. jpeg-js ignores
//    EXIF, so the expected pixels are its decode turned here as TIFF 6.0 says (orient() below);
//  - every *.png there decoded by pngjs (Adam7, 16-bit scaled to 8 as round(v * 255 / 65535), palette + tRNS, 1/2/4-bit
//    grey), then any transparency composited on white: out = floor((c * a + 255 * (255 - a) + 127) / 255);
//  - faceapi-test/images/angry.jpg and surprised.jpg (progressive photos): a grid of the jpeg-js decode, every 3rd
//    pixel from (1, 2), as PNG.
// Each reference is written next to its source as NAME.decoded.png (8-bit RGB).
const fs = require('fs');
const path = require('path');
const jpeg = require('jpeg-js');
const { PNG } = require('pngjs');
const { FIXTURES, writePng } = require('./common');

const dir = path.join(FIXTURES, 'codec');

function decodeJpeg(bytes) {
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
  return { width: img.width, height: img.height, rgb: img.data };
}

/** The image as a viewer shows EXIF orientation o (1-8): for each output pixel, the stored pixel it shows. */
function orient(img, o) {
  const { width: w, height: h } = img;
  const swap = o >= 5;
  const ow = swap ? h : w;
  const oh = swap ? w : h;
  const rgb = new Uint8Array(ow * oh * 3);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      const [sx, sy] = {
        1: [x, y],
        2: [w - 1 - x, y], // mirrored left-right
        3: [w - 1 - x, h - 1 - y], // turned 180
        4: [x, h - 1 - y], // mirrored top-bottom
        5: [y, x], // transposed
        6: [y, h - 1 - x], // turned 90 clockwise
        7: [w - 1 - y, h - 1 - x], // transversed
        8: [w - 1 - y, x], // turned 90 counter-clockwise
      }[o];
      rgb.set(img.rgb.subarray((sy * w + sx) * 3, (sy * w + sx) * 3 + 3), (y * ow + x) * 3);
    }
  }
  return { width: ow, height: oh, rgb };
}

/** An APP1 segment holding a TIFF header and IFD0 with one entry: Orientation (0x0112, SHORT, count 1) = o. */
function exifApp1(o, little) {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  const u16 = (v, at) => (little ? tiff.writeUInt16LE(v, at) : tiff.writeUInt16BE(v, at));
  const u32 = (v, at) => (little ? tiff.writeUInt32LE(v, at) : tiff.writeUInt32BE(v, at));
  tiff.write(little ? 'II' : 'MM', 0, 'latin1');
  u16(42, 2);
  u32(8, 4); // IFD0 right after the header
  u16(1, 8); // one entry
  u16(0x0112, 10);
  u16(3, 12); // SHORT
  u32(1, 14);
  u16(o, 18); // value, left-justified in the 4-byte field
  u32(0, 22); // no next IFD
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]);
  return Buffer.concat([header, payload]);
}

function compositeOnWhite(png) {
  const rgb = new Uint8Array(png.width * png.height * 3);
  for (let i = 0, j = 0; i < png.data.length; i += 4) {
    const a = png.data[i + 3];
    for (let c = 0; c < 3; c++) {
      rgb[j++] = Math.floor((png.data[i + c] * a + 255 * (255 - a) + 127) / 255);
    }
  }
  return { width: png.width, height: png.height, rgb };
}

function grid(img, x0, y0, step) {
  const gw = Math.floor((img.width - x0 + step - 1) / step);
  const gh = Math.floor((img.height - y0 + step - 1) / step);
  const rgb = new Uint8Array(gw * gh * 3);
  for (let j = 0; j < gh; j++) {
    for (let i = 0; i < gw; i++) {
      const s = ((y0 + step * j) * img.width + x0 + step * i) * 3;
      rgb.set(img.rgb.subarray(s, s + 3), (j * gw + i) * 3);
    }
  }
  return { width: gw, height: gh, rgb };
}

const decodedName = (f) => f.replace(/\.(jpg|png)$/, '.decoded.png');

// EXIF orientation: the same crop, eight tags
const base = fs.readFileSync(path.join(FIXTURES, 'jpeg', 'sample1-face3-tall-odd.q90.jpg'));
const baseImg = decodeJpeg(base);
for (let o = 1; o <= 8; o++) {
  const file = `exif-orientation-${o}.jpg`;
  fs.writeFileSync(path.join(dir, file), Buffer.concat([base.subarray(0, 2), exifApp1(o, o % 2 === 1), base.subarray(2)]));
  const want = orient(baseImg, o);
  writePng(path.join(dir, decodedName(file)), want);
  console.log(`${file}: shown ${want.width}x${want.height}`);
}

for (const f of fs.readdirSync(dir).sort()) {
  if (f.startsWith('exif-orientation-') || f.endsWith('.decoded.png')) continue;
  let img;
  if (f.endsWith('.jpg')) {
    img = decodeJpeg(fs.readFileSync(path.join(dir, f)));
  } else if (f.endsWith('.png')) {
    img = compositeOnWhite(PNG.sync.read(fs.readFileSync(path.join(dir, f))));
  } else {
    continue;
  }
  writePng(path.join(dir, decodedName(f)), img);
  console.log(`${f}: ${img.width}x${img.height}`);
}

const faceapi = path.join(FIXTURES, 'faceapi-test', 'images');
for (const f of ['angry.jpg', 'surprised.jpg']) {
  const img = decodeJpeg(fs.readFileSync(path.join(faceapi, f)));
  const g = grid(img, 1, 2, 3);
  writePng(path.join(faceapi, f.replace(/\.jpg$/, '.grid-x1s3-y2s3.png')), g);
  console.log(`${f} ${img.width}x${img.height}: grid ${g.width}x${g.height}`);
}
