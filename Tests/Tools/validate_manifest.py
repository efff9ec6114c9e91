#!/usr/bin/env python3
"""Validates every line of a Blindfold manifest against docs/manifest.schema.json.

Usage: validate_manifest.py SCHEMA MANIFEST
Also checks what a line-by-line schema cannot: the header is first, the summary last, and
the summary's counts agree with the item lines. Prints 'valid: N items' or the first problem,
and exits 0 or 1. Needs the jsonschema package (python3-jsonschema on Debian).
"""
import json
import sys

import jsonschema


def main():
    schema_path, manifest_path = sys.argv[1], sys.argv[2]
    validator = jsonschema.Draft202012Validator(json.load(open(schema_path)))
    with open(manifest_path, "rb") as handle:
        lines = handle.read().split(b"\n")
    if lines[-1] != b"":
        sys.exit("manifest does not end with a newline")
    records = []
    for number, raw in enumerate(lines[:-1], start=1):
        record = json.loads(raw.decode("utf-8"))
        errors = sorted(validator.iter_errors(record), key=lambda e: e.path)
        if errors:
            sys.exit("line %d: %s" % (number, errors[0].message))
        records.append(record)
    kinds = [r["record"] for r in records]
    if kinds[0] != "scan" or kinds[-1] != "summary" or set(kinds[1:-1]) - {"item"}:
        sys.exit("order must be: scan header, items, summary")
    items, summary = records[1:-1], records[-1]
    if summary["items"] != len(items):
        sys.exit("summary counts %d items, manifest has %d" % (summary["items"], len(items)))
    by_status = {}
    for item in items:
        by_status[item["status"]] = by_status.get(item["status"], 0) + 1
    if by_status != summary["by_status"]:
        sys.exit("by_status %r does not match the items %r" % (summary["by_status"], by_status))
    # A hit is an alerting known-bad match ("alert": false marks a category that does not alert).
    bad = sum(1 for i in items
              if any(m["role"] == "known-bad" and m.get("alert", True) for m in i.get("matches", [])))
    if bad != summary["matches"]["known-bad"]:
        sys.exit("known-bad count %d does not match the items (%d)" % (summary["matches"]["known-bad"], bad))
    print("valid: %d items" % len(items))


if __name__ == "__main__":
    main()
