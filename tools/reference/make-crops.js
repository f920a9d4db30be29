'use strict';
// Detects the faces in the demo photos of @vladmandic/face-api and writes fixed-convention face crops as PNG.
//
// Crop convention (the one enrolment and search must share):
//   ssdMobilenetv1 box (minConfidence 0.5) -> square of side 1.2 * max(w, h) centred on the box (10% margin each side)
//   -> 120x120 RGB, each output pixel the mean of 4x4 bilinear sub-samples; outside the photo counts as black.
// A few extra crops are cut to non-square shapes so the reference also covers the engine's pad-to-square step.
const fs = require('fs');
const path = require('path');
const { faceapi, DEMO_DIR, FIXTURES, useCpu, loadNet, decodeJpeg, writePng, toTensor, SIZE, MARGIN, SUB, faceCrop } = require('./common');

function subImage(img, x0, y0, w, h) {
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const src = ((y0 + y) * img.width + x0) * 3;
    out.set(img.rgb.subarray(src, src + w * 3), y * w * 3);
  }
  return { width: w, height: h, rgb: out };
}

async function main() {
  await useCpu();
  const detector = loadNet(new faceapi.SsdMobilenetv1(), 'ssd_mobilenetv1_model');
  const outDir = path.join(FIXTURES, 'crops');
  fs.mkdirSync(outDir, { recursive: true });
  const manifest = { convention: { detector: 'ssdMobilenetv1', minConfidence: 0.5, margin: MARGIN, size: SIZE, subSamples: SUB }, crops: [] };
  for (let n = 1; n <= 6; n++) {
    const photo = `sample${n}.jpg`;
    const img = decodeJpeg(path.join(DEMO_DIR, photo));
    const input = toTensor(img);
    const t0 = Date.now();
    const dets = await detector.locateFaces(input, new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 100 }));
    input.dispose();
    // left-to-right, so file names stay stable across runs
    dets.sort((a, b) => a.box.x - b.box.x);
    console.log(`${photo}: ${img.width}x${img.height}, ${dets.length} faces in ${Date.now() - t0} ms`);
    dets.forEach((d, k) => {
      const b = d.box;
      const crop = faceCrop(img, b);
      const file = `sample${n}-face${k + 1}.png`;
      writePng(path.join(outDir, file), crop);
      manifest.crops.push({
        file, source: photo, kind: 'square',
        box: { x: +b.x.toFixed(2), y: +b.y.toFixed(2), width: +b.width.toFixed(2), height: +b.height.toFixed(2) },
        score: +d.score.toFixed(4),
      });
    });
  }
  // Non-square cuts of the first crops: exercise the centred zero padding (even and odd differences, both axes).
  const { decodePng } = require('./common');
  const shapes = [[0, 120, 100, 'wide'], [1, 120, 97, 'wide-odd'], [2, 95, 120, 'tall-odd']];
  for (const [i, w, h, tag] of shapes) {
    const base = manifest.crops[i];
    const img = decodePng(path.join(outDir, base.file));
    const sub = subImage(img, Math.floor((SIZE - w) / 2), Math.floor((SIZE - h) / 2), w, h);
    const file = base.file.replace('.png', `-${tag}.png`);
    writePng(path.join(outDir, file), sub);
    manifest.crops.push({ file, source: base.source, kind: tag, from: base.file, width: w, height: h });
  }
  fs.writeFileSync(path.join(FIXTURES, 'crops-manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  console.log(`${manifest.crops.length} crops written to ${outDir}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
