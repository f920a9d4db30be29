#!/usr/bin/env bash
# Puts result records that the function spilled to its log back into the results table.
#
# An HTTP search's record that is not written within crop-search.records.http-wait (DynamoDB slow or down) is written
# to the log as one line: a CloudWatch EMF line (metric SpilledRecords) whose "spilledRecord" field holds the item in
# DynamoDB's export format, {"Item": {...}}. See docs/RECORDS.md, "Spilled records".
#
# Usage: tools/records/replay.sh TABLE [LOG_FILE...]    (reads standard input when no file is given)
#   Input: log lines as the function printed them, one per line (for example the "message" of each CloudWatch log
#   event); lines without a spilled record are ignored.
#   Each item is put with the condition attribute_not_exists(pk): a record that reached the table after all (the
#   background write may still have completed) is left alone, so replaying twice is harmless.
# Needs: the AWS CLI (credentials, region and AWS_ENDPOINT_URL_DYNAMODB from its usual chain) and jq.
#
# Example, the last day of a function's log:
#   aws logs filter-log-events --log-group-name "/aws/lambda/$FUNCTION" --filter-pattern '{ $.SpilledRecords = 1 }' \
#     --start-time "$(( ($(date +%s) - 86400) * 1000 ))" --output json \
#     | jq -r '.events[].message' | tools/records/replay.sh "$TABLE"
set -euo pipefail

if [[ $# -lt 1 || "$1" == -* ]]; then
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
table=$1
shift
for tool in aws jq; do
  command -v "$tool" >/dev/null || { echo "replay.sh: $tool is needed" >&2; exit 2; }
done

item_file=$(mktemp)
trap 'rm -f "$item_file"' EXIT
put=0 present=0 failed=0
# Items go through a file, not an argument: an item's JSON can exceed the 128 KiB limit of one argument.
while IFS= read -r item; do
  printf '%s' "$item" > "$item_file"
  if out=$(aws dynamodb put-item --table-name "$table" --item "file://$item_file" \
      --condition-expression 'attribute_not_exists(pk)' 2>&1); then
    put=$((put + 1))
  elif grep -q ConditionalCheckFailedException <<<"$out"; then
    present=$((present + 1))
  else
    echo "replay.sh: put failed for $(jq -c '{pk, sk}' "$item_file"): $out" >&2
    failed=$((failed + 1))
  fi
done < <(cat "$@" | jq -R -c 'fromjson? | objects | .spilledRecord.Item? | objects')

echo "replay.sh: $put put, $present already in the table, $failed failed"
[[ $failed -eq 0 ]]
