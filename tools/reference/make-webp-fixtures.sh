#!/bin/sh
# Regenerates the WebP fixtures under src/test/resources/engine/codec/webp/ for WebpDecoder*Test:
# NAME.webp made by cwebp from the committed crops/JPEGs, and NAME.pam, libwebp's own decode of it (dwebp -pam:
# RGBA, 8 bits per channel, alpha 255 where the file has none). dwebp is the reference implementation; it decodes
# lossy files with its default "fancy" chroma upsampling, which is what the Java decoder reproduces.
#
# Made with: cwebp, dwebp and img2webp 1.2.4, and libwebp 1.2.4 itself (libwebp-dev, gcc) for the one setting cwebp
# cannot ask for, several token partitions; vpxenc 1.12.0 (Debian package vpx-tools) for a VP8 key frame from libvpx,
# whose encoder writes loop-filter deltas (libwebp's never does) (Debian 12 package `webp` 1.2.4-0.2+deb12u1), Node 20 + pngjs for the two
# synthetic inputs (the script below;
# `npm ci` in tools/reference first). Other libwebp versions can encode differently; the .pam files are what
# the tests compare with, so regenerate both together.
# Usage (repository root or anywhere): tools/reference/make-webp-fixtures.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
res="$repo/src/test/resources/engine"
out="$res/codec/webp"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
cwebp -version >/dev/null
(cd "$here" && node - "$res/crops" "$tmp") <<'EOF'
'use strict';
// Inputs that the committed crops do not provide, written as PNG into the directory given as the second argument:
// an RGBA image (a crop with a soft round alpha mask, so every alpha level 0..255 occurs), a 4-colour image (so
// cwebp's lossless encoder picks the colour-indexing transform with 2-bit packed indices) and a mostly flat one.
const fs = require('fs');
const path = require('path');
const { PNG } = require('pngjs');

const [CROPS, out] = process.argv.slice(2);

function read(name) {
  return PNG.sync.read(fs.readFileSync(path.join(CROPS, name)));
}

function write(name, png) {
  fs.writeFileSync(path.join(out, name), PNG.sync.write(png, { colorType: 6 }));
}

{
  const src = read('sample3-face2.png');
  const { width, height } = src;
  const png = new PNG({ width, height });
  const cx = width / 2, cy = height / 2, r = Math.min(width, height) * 0.45;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
      // opaque inside 0.6 r, transparent outside r, a linear ramp between
      const a = Math.max(0, Math.min(255, Math.round(255 * (r - d) / (0.4 * r))));
      png.data[i] = src.data[i];
      png.data[i + 1] = src.data[i + 1];
      png.data[i + 2] = src.data[i + 2];
      png.data[i + 3] = a;
    }
  }
  write('rgba.png', png);
}

{
  const src = read('sample4-face2.png');
  const { width, height } = src;
  const png = new PNG({ width, height });
  const palette = [[20, 20, 30], [90, 70, 60], [170, 140, 120], [240, 230, 220]];
  for (let i = 0; i < width * height * 4; i += 4) {
    const lum = 0.299 * src.data[i] + 0.587 * src.data[i + 1] + 0.114 * src.data[i + 2];
    const c = palette[Math.min(3, Math.floor(lum / 64))];
    png.data[i] = c[0];
    png.data[i + 1] = c[1];
    png.data[i + 2] = c[2];
    png.data[i + 3] = 255;
  }
  write('four-colours.png', png);
}

{
  // a flat 160x128 canvas with a 64x64 piece of a crop in the middle: macroblocks without any coefficient, so the
  // encoder codes them with the skip flag
  const src = read('sample5-face2.png');
  const width = 160, height = 128;
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const sx = x - 48, sy = y - 32;
      const inside = sx >= 0 && sx < 64 && sy >= 0 && sy < 64;
      const j = ((sy + 28) * src.width + sx + 28) * 4;
      png.data[i] = inside ? src.data[j] : 200;
      png.data[i + 1] = inside ? src.data[j + 1] : 180;
      png.data[i + 2] = inside ? src.data[j + 2] : 160;
      png.data[i + 3] = 255;
    }
  }
  write('flat.png', png);
}
EOF

enc() { # name, input, cwebp options...
  name=$1; input=$2; shift 2
  cwebp -quiet -metadata none "$@" "$input" -o "$out/$name.webp"
  dwebp -quiet "$out/$name.webp" -pam -o "$out/$name.pam"
}

# lossy (VP8)
enc lossy-q75 "$res/crops/sample2-face1.png" -q 75
enc lossy-q90 "$res/crops/sample5-face3.png" -q 90
enc lossy-q80-95x120 "$res/crops/sample1-face3-tall-odd.png" -q 80             # odd width, not a multiple of 16
enc lossy-q80-120x97 "$res/crops/sample1-face2-wide-odd.png" -q 80             # odd height
enc lossy-jpeg-q60 "$res/jpeg/sample4-face3.q90.jpg" -q 60
enc lossy-sharpyuv-seg4 "$res/crops/sample3-face1.png" -q 70 -sharp_yuv -sns 100 -segments 4 -f 60 -sharpness 3
enc lossy-simple-filter "$res/crops/sample6-face2.png" -q 50 -nostrong -f 40  # simple loop filter
enc lossy-photo-240x160 "$res/jpeg/sample1.jpg" -q 80 -resize 240 160 # a real photo, downscaled
enc lossy-q10 "$res/crops/sample6-face4.png" -q 10 -segments 1               # strong quantisation
enc lossy-flat-160x128 "$tmp/flat.png" -q 80 -m 2                      # flat areas: skipped macroblocks (-m 2 uses the skip flag)
# 8 token partitions: cwebp has no option for WebPConfig.partitions, so a few lines of C against libwebp re-encode
# the (lossless) input with it
cat > "$tmp/partitions.c" <<'EOF_C'
#include <stdio.h>
#include <stdlib.h>
#include <webp/decode.h>
#include <webp/encode.h>
int main(int argc, char** argv) {  /* in.webp out.webp quality log2(partitions) */
  FILE* f = fopen(argv[1], "rb"); static uint8_t in[1 << 22]; size_t n = fread(in, 1, sizeof(in), f); fclose(f);
  int w, h; uint8_t* rgb = WebPDecodeRGB(in, n, &w, &h);
  WebPConfig config; WebPPicture pic; WebPMemoryWriter out;
  if (!rgb || !WebPConfigInit(&config) || !WebPPictureInit(&pic)) return 1;
  config.quality = (float)atof(argv[3]); config.partitions = atoi(argv[4]);
  config.low_memory = 1; /* the default token-buffer path writes one partition whatever partitions says */
  pic.width = w; pic.height = h; pic.use_argb = 0;
  if (!WebPPictureImportRGB(&pic, rgb, 3 * w)) return 1;
  WebPMemoryWriterInit(&out); pic.writer = WebPMemoryWrite; pic.custom_ptr = &out;
  if (!WebPEncode(&config, &pic)) return 1;
  f = fopen(argv[2], "wb"); fwrite(out.mem, 1, out.size, f); fclose(f);
  return 0;
}
EOF_C
gcc -O1 -o "$tmp/partitions" "$tmp/partitions.c" -lwebp
cwebp -quiet -lossless "$res/jpeg/sample1.jpg" -resize 240 160 -o "$tmp/photo.webp"
"$tmp/partitions" "$tmp/photo.webp" "$out/lossy-8-partitions.webp" 80 3
dwebp -quiet "$out/lossy-8-partitions.webp" -pam -o "$out/lossy-8-partitions.pam"
# a key frame from libvpx (4 token partitions, loop-filter deltas for intra and 4x4 prediction), wrapped in a
# simple RIFF/WEBP container; its input is libwebp's own YUV decode of the lossless fixture
dwebp -quiet "$out/lossless.webp" -yuv -o "$tmp/lossless.yuv"
vpxenc --codec=vp8 --i420 -w 120 -h 120 --limit=1 --ivf --good --end-usage=vbr --target-bitrate=50 --min-q=40 \
  --max-q=63 --token-parts=2 -o "$tmp/libvpx.ivf" "$tmp/lossless.yuv" >/dev/null 2>&1
node -e '
const fs = require("fs");
const ivf = fs.readFileSync(process.argv[1]);          // 32-byte file header, then 12-byte frame header + frame
const size = ivf.readUInt32LE(32);
const riff = Buffer.alloc(20 + size + (size & 1));
riff.write("RIFF", 0);
riff.writeUInt32LE(12 + size + (size & 1), 4);
riff.write("WEBPVP8 ", 8);
riff.writeUInt32LE(size, 16);
ivf.copy(riff, 20, 44, 44 + size);
fs.writeFileSync(process.argv[2], riff);' "$tmp/libvpx.ivf" "$out/lossy-libvpx.webp"
dwebp -quiet "$out/lossy-libvpx.webp" -pam -o "$out/lossy-libvpx.pam"
# lossy with alpha (VP8X + ALPH + VP8): lossless-compressed alpha with a prediction filter, and quantised alpha
enc lossy-alpha "$tmp/rgba.png" -q 80 -alpha_q 100 -alpha_filter best
enc lossy-alpha-q50 "$tmp/rgba.png" -q 80 -alpha_q 50 -alpha_filter fast
enc lossy-alpha-raw "$tmp/rgba.png" -q 80 -alpha_method 0                    # uncompressed alpha
# lossless (VP8L)
enc lossless "$res/crops/sample2-face2.png" -lossless
enc lossless-z9 "$res/crops/sample5-face1.png" -lossless -z 9
enc lossless-120x97 "$res/crops/sample1-face2-wide-odd.png" -lossless -q 50
enc lossless-alpha "$tmp/rgba.png" -lossless -exact
enc lossless-four-colours "$tmp/four-colours.png" -lossless
# animated (VP8X + ANIM + ANMF, made with img2webp 1.2.4): the decoder refuses it, so it has no .pam
img2webp -lossy -q 50 "$res/crops/sample2-face1.png" "$res/crops/sample2-face2.png" -o "$out/animated.webp" >/dev/null 2>&1
ls -l "$out"
