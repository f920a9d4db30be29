#!/usr/bin/env bash
# The main job end to end on the embedded engine: enrol sample persons through the persons API, then search other
# crops of them. Start the function first (README: ./mvnw quarkus:dev ...); no AWS account, no Verifik token.
#
#   infra/local/demo.sh [base-url]        default base url: http://localhost:8080
#
# Sample crops: src/test/resources/engine/crops (faces from the @vladmandic/face-api demo photos, MIT; see
# tools/reference/make-crops.js). The "-wide"/"-odd" files are a second, differently placed crop of an enrolled face.
set -euo pipefail
cd "$(dirname "$0")/../.."
BASE=${1:-http://localhost:8080}
CROPS=src/test/resources/engine/crops
# The embedded backend only checks that a bearer token is present; it holds no secret.
AUTH="Authorization: Bearer local-demo"

post() { curl -sS -X POST "$BASE$1" -H 'Content-Type: application/json' -H "$AUTH" --data-binary @"$2"; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
body=$(mktemp); trap 'rm -f "$body"' EXIT

echo "== collection"
echo '{"name":"demo","description":"sample persons"}' > "$body"
collection=$(post /v2/face-recognition/collections "$body" | field "d['data']['_id']")
echo "created $collection"

echo "== enrol"
for face in sample1-face1 sample1-face2 sample1-face3 sample2-face1 sample3-face1 sample4-face2 sample5-face3 sample6-face1; do
  printf '{"name":"%s","images":["%s"],"collections":["%s"]}' "$face" "$(base64 -w0 "$CROPS/$face.png")" "$collection" > "$body"
  answer=$(post /v2/face-recognition/persons "$body")
  echo "$answer" | field "d.get('data',{}).get('_id','') + '  ' + d.get('data',{}).get('name', d.get('message',''))"
done

for probe in sample1-face1-wide sample1-face2-wide-odd sample1-face3-tall-odd; do
  for mode in FAST ACCURATE; do
    echo "== search $probe ($mode, min_score 0.7)"
    printf '{"images":["%s"],"collection_id":"%s","min_score":0.7,"search_mode":"%s","max_results":3}' \
      "$(base64 -w0 "$CROPS/$probe.png")" "$collection" "$mode" > "$body"
    post /v2/face-recognition/search/crops "$body" \
      | field "'\n'.join('  %.4f  %s' % (m['score'], m['name']) for m in d['data']) or '  (no match)'"
  done
done
