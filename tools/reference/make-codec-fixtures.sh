#!/bin/sh
# Source files for CodecReferenceTest, made from the committed fixture crops with Debian's tools:
#   apt-get install -y libjpeg-turbo-progs imagemagick python3-pil
# (cjpeg/jpegtran 2.1.5, ImageMagick 6.9.11, Pillow 9.4). The tests need only the committed outputs; the reference
# decodes are written afterwards by `node make-codec-reference.js`. Run from tools/reference.
set -eu
REPO=$(cd ../.. && pwd)
CROPS="$REPO/src/test/resources/engine/crops"
OUT="$REPO/src/test/resources/engine/codec"
IM="/usr/bin/convert -strip" # -strip: no dates or text chunks, so reruns write the same bytes; the path because
# /usr/local/bin/convert may be a stand-in on some machines
mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

ppm() { $IM "$CROPS/$1.png" "ppm:$TMP/$1.ppm"; echo "$TMP/$1.ppm"; }

# Progressive (libjpeg's default script: DC first + refinement, spectral bands, successive approximation).
cjpeg -quality 90 -progressive -outfile "$OUT/progressive-420.jpg" "$(ppm sample3-face1)"
cjpeg -quality 90 -progressive -sample 1x1 -outfile "$OUT/progressive-444.jpg" "$(ppm sample4-face1)"
# 95x120: partial MCUs, and non-interleaved AC scans whose block rows stop short of the MCU grid; restart every
# 2 MCUs (blocks in one-component scans) so restarts fall inside EOB runs.
cjpeg -quality 90 -progressive -restart 2B -outfile "$OUT/progressive-420-restart.jpg" "$(ppm sample1-face3-tall-odd)"
cjpeg -quality 90 -progressive -grayscale -outfile "$OUT/progressive-grey.jpg" "$(ppm sample5-face1)"
# Sequential (baseline) but one scan per component, 4:2:0, 120x97.
printf '0;\n1;\n2;\n' > "$TMP/scans.txt"
cjpeg -quality 90 -scans "$TMP/scans.txt" -outfile "$OUT/multiscan-baseline-420.jpg" "$(ppm sample1-face2-wide-odd)"
# Adobe CMYK as Photoshop writes it (inverted, APP14 transform 0): Pillow.
/usr/bin/python3 -c "
from PIL import Image
Image.open('$CROPS/sample6-face1.png').convert('CMYK').save('$OUT/cmyk-adobe.jpg', quality=90)"
# YCCK (APP14 transform 2): ImageMagick's CMYK JPEG; the second one progressive.
$IM "$CROPS/sample6-face2.png" -colorspace CMYK -quality 90 "$OUT/ycck-adobe.jpg"
$IM "$CROPS/sample6-face3.png" -colorspace CMYK -quality 90 -interlace JPEG "$OUT/ycck-adobe-progressive.jpg"

# PNG: Adam7 at 8 and 16 bits, 16-bit of every colour type, palette with tRNS, low-depth grey.
$IM "$CROPS/sample2-face2.png" -interlace PNG -define png:color-type=2 -depth 8 "PNG24:$OUT/interlaced-rgb8.png"
$IM "$CROPS/sample2-face3.png" -interlace PNG -define png:color-type=2 -depth 16 "PNG48:$OUT/interlaced-rgb16.png"
# alpha: a ramp from opaque at the left edge to transparent at the right
$IM "$CROPS/sample3-face2.png" \( -size 120x120 gradient:black-white -rotate 90 \) -alpha off -compose CopyOpacity \
  -composite -strip -depth 16 "PNG64:$OUT/rgba16.png"
$IM "$CROPS/sample3-face3.png" \( -size 120x120 gradient:black-white -rotate 90 \) -alpha off -compose CopyOpacity \
  -composite -strip -interlace PNG -depth 8 "PNG32:$OUT/interlaced-rgba8.png"
$IM "$CROPS/sample4-face2.png" -colorspace Gray -depth 16 -define png:color-type=0 -define png:bit-depth=16 \
  "$OUT/grey16.png"
$IM "$CROPS/sample4-face2.png" -colorspace Gray \( -size 120x120 gradient:white-black \) -alpha off \
  -compose CopyOpacity -composite -depth 16 -define png:color-type=4 -define png:bit-depth=16 "$OUT/greyalpha16.png"
# palette: 16 colours at 4 bits, the colour at (60, 5) made transparent (tRNS), interlaced too
$IM "$CROPS/sample5-face2.png" -colors 16 -transparent "$($IM "$CROPS/sample5-face2.png" -colors 16 -format '%[pixel:p{60,5}]' info:)" \
  -interlace PNG -define png:bit-depth=4 "PNG8:$OUT/palette-trns.png"
$IM "$CROPS/sample5-face3.png" -colorspace Gray -threshold 45% -depth 1 -define png:color-type=0 \
  -define png:bit-depth=1 "$OUT/grey1.png"
for bits in 2 4; do
  $IM "$CROPS/sample5-face3.png" -colorspace Gray -depth "$bits" -define png:color-type=0 -define "png:bit-depth=$bits" \
    "$OUT/grey$bits.png"
done

# Two real progressive photos from face-api.js's tests (MIT), with its licence, byte for byte.
FACE_API_JS=${FACE_API_JS:-/work/shared/reference/face-api-js}
FA="$REPO/src/test/resources/engine/faceapi-test"
mkdir -p "$FA/images"
cp "$FACE_API_JS/LICENSE" "$FA/LICENSE"
cp "$FACE_API_JS/test/images/angry.jpg" "$FACE_API_JS/test/images/surprised.jpg" "$FA/images/"
ls -l "$OUT" "$FA/images"
