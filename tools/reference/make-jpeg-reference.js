'use strict';
// Reference decodes for JpegDecoderTest, made with jpeg-js (the decoder the reference scripts use):
//  - demo/sample1.jpg of @vladmandic/face-api (a camera JPEG, 4:2:2, 1920x1280), copied as a fixture; its reference
//    is a grid of decoded pixels (every 8th column from 3, every 8th row from 5) stored as a PNG;
//  - three fixture crops re-encoded by jpeg-js (baseline 4:4:4, quality 90), with their full decodes as PNG.
const fs = require('fs');
const path = require('path');
const jpeg = require('jpeg-js');
const { DEMO_DIR, FIXTURES, decodePng, writePng } = require('./common');

const out = path.join(FIXTURES, 'jpeg');
fs.mkdirSync(out, { recursive: true });

function decode(bytes) {
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
  return { width: img.width, height: img.height, rgb: img.data };
}

const photo = fs.readFileSync(path.join(DEMO_DIR, 'sample1.jpg'));
fs.writeFileSync(path.join(out, 'sample1.jpg'), photo);
const full = decode(photo);
const gw = Math.floor((full.width - 3 + 7) / 8);
const gh = Math.floor((full.height - 5 + 7) / 8);
const grid = new Uint8Array(gw * gh * 3);
for (let j = 0; j < gh; j++) {
  for (let i = 0; i < gw; i++) {
    const s = ((5 + 8 * j) * full.width + 3 + 8 * i) * 3;
    grid.set(full.rgb.subarray(s, s + 3), (j * gw + i) * 3);
  }
}
writePng(path.join(out, 'sample1.grid-x3s8-y5s8.png'), { width: gw, height: gh, rgb: grid });
console.log(`sample1.jpg ${full.width}x${full.height}: grid ${gw}x${gh}`);

for (const name of ['sample2-face1', 'sample4-face3', 'sample1-face3-tall-odd']) {
  const crop = decodePng(path.join(FIXTURES, 'crops', name + '.png'));
  const rgba = Buffer.alloc(crop.width * crop.height * 4);
  for (let i = 0, j = 0; i < crop.rgb.length; i += 3) {
    rgba[j++] = crop.rgb[i]; rgba[j++] = crop.rgb[i + 1]; rgba[j++] = crop.rgb[i + 2]; rgba[j++] = 255;
  }
  const encoded = jpeg.encode({ data: rgba, width: crop.width, height: crop.height }, 90).data;
  fs.writeFileSync(path.join(out, `${name}.q90.jpg`), encoded);
  writePng(path.join(out, `${name}.q90.decoded.png`), decode(encoded));
  console.log(`${name}.q90.jpg ${encoded.length} bytes`);
}

// JPEGs written by the Java JpegEncoder (4:2:0 and greyscale; MakeJpegFixtures in the test sources): jpeg-js decodes.
for (const f of fs.readdirSync(out).filter((n) => n.endsWith('.java.jpg')).sort()) {
  const img = decode(fs.readFileSync(path.join(out, f)));
  writePng(path.join(out, f.replace(/\.jpg$/, '.decoded.png')), img);
  console.log(`${f}: jpeg-js ${img.width}x${img.height}`);
}
