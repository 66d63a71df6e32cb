#!/usr/bin/env python3
"""Expected results of reading the replay test files, computed independently of the C# code under test.

Usage: python3 expected.py > expected.json     (Python 3.9+, standard library only: csv, json, zoneinfo)

It re-implements, from the written rules (load-tests/README.md), what the replay tool must make of each file:
rows read, rejects (row, line, source id, reason), accepted records (UTC instants, fields), notes, duplicate JSON
keys, and Helpline's verdicts (on time / overdue / open / no due date, judged at NOW) with Boston's agreement.
The C# tests (tests/Helpline.Tests/Replay) read the files with the tool's readers and compare with this output.
"""
import csv
import json
import re
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
UTC = timezone.utc
MAX_TEXT = 4000

FILES = [
    ("boston311_head300.csv", "boston311"),
    ("boston311_messy.csv", "boston311"),
    ("boston311_synthetic.csv", "boston311"),
    ("nyc311_head200.csv", "nyc311"),
    ("nyc311_messy.csv", "nyc311"),
    ("open311_head100.json", "open311"),
    ("open311_messy.json", "open311"),
    ("open311_synthetic.json", "open311"),
]

PROFILES = {
    "boston311": ("America/New_York", None),
    "nyc311": ("America/New_York", None),
    "open311": ("America/Los_Angeles", "SF311"),
}

US_FORMATS = ["%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M"]
ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|z|[+-]\d{2}:?\d{2})?$")


def clean(value):
    if value is None:
        return None
    value = value.strip()
    return value or None


def local_to_utc(naive, zone):
    """(instant, kind): fold=0 is the earlier instant when ambiguous and the pre-transition offset in a gap."""
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    kind = "regular"
    if first.utcoffset() != second.utcoffset():
        back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        kind = "ambiguous" if back == naive else "gap"
    return first.astimezone(UTC), kind


def parse_time(text, zone):
    text = text.strip()
    m = ISO.match(text)
    if m:
        y, mo, d, h, mi, s, frac, off = m.groups()
        try:
            micro = int((frac or "0")[:6].ljust(6, "0"))
            naive = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), micro)
        except ValueError:
            return None
        if off:
            if off in ("Z", "z"):
                delta = timedelta(0)
            else:
                digits = off[1:].replace(":", "")
                hours, minutes = int(digits[:2]), int(digits[2:])
                if hours > 14 or minutes > 59:
                    return None
                delta = timedelta(hours=hours, minutes=minutes) * (-1 if off[0] == "-" else 1)
            return naive.replace(tzinfo=timezone(delta)).astimezone(UTC), "regular"
        return local_to_utc(naive, zone)
    for fmt in US_FORMATS:
        try:
            return local_to_utc(datetime.strptime(text, fmt), zone)
        except ValueError:
            pass
    return None


def iso(instant):
    if instant is None:
        return None
    text = instant.strftime("%Y-%m-%dT%H:%M:%S")
    if instant.microsecond:
        text += "." + f"{instant.microsecond:06d}".rstrip("0")
    return text + "Z"


class Rules:
    def __init__(self, fmt):
        self.fmt = fmt
        self.zone = ZoneInfo(PROFILES[fmt][0])
        self.default_department = PROFILES[fmt][1]
        self.seen = set()

    def apply(self, row, line, f):
        notes = set()

        def reject(sid, reason):
            return ("reject", [row, line, sid, reason])

        def note_time(kind):
            if kind == "gap":
                notes.add("dst_gap_shifted")
            elif kind == "ambiguous":
                notes.add("dst_ambiguous_earlier")

        sid = clean(f.get("id"))
        if sid is None:
            return reject(None, "missing_id")
        if sid in self.seen:
            return reject(sid, "duplicate_id")
        self.seen.add(sid)
        opened_text = clean(f.get("opened"))
        if opened_text is None:
            return reject(sid, "missing_registered_at")
        opened = parse_time(opened_text, self.zone)
        if opened is None:
            return reject(sid, "unparsable_registered_at")
        opened, kind = opened
        note_time(kind)
        state = f["state"]
        if state == "missing":
            return reject(sid, "missing_status")
        if state == "unknown":
            return reject(sid, "unknown_status")
        due = None
        due_text = clean(f.get("due"))
        if due_text is not None:
            parsed = parse_time(due_text, self.zone)
            if parsed is None:
                return reject(sid, "unparsable_due_at")
            due, kind = parsed
            note_time(kind)
            if due < opened:
                notes.add("due_before_registered")
        closed = None
        closed_text = clean(f.get("closed"))
        if state == "closed":
            if closed_text is None:
                return reject(sid, "closed_without_date")
            parsed = parse_time(closed_text, self.zone)
            if parsed is None:
                return reject(sid, "unparsable_closed_at")
            if parsed[0] < opened:
                return reject(sid, "closed_before_opened")
            closed, kind = parsed
            note_time(kind)
        elif closed_text is not None:
            notes.add("open_with_closed_date")
        department = clean(f.get("department"))
        if department is None:
            if self.default_department is None:
                return reject(sid, "missing_department")
            department = self.default_department
            notes.add("default_department")
        category = clean(f.get("category"))
        if category is None:
            return reject(sid, "missing_category")
        if len(sid) > 100 or len(department) > 100 or len(category) > 200:
            return reject(sid, "too_long")
        description = clean(f.get("description"))
        if description is None:
            description = category
            notes.add("description_from_category")
        closure = clean(f.get("closure")) if closed is not None else None
        if len(description) > MAX_TEXT or (closure is not None and len(closure) > MAX_TEXT):
            notes.add("truncated_text")
            description = description[:MAX_TEXT]
            closure = closure[:MAX_TEXT] if closure is not None else None
        verdict = None
        verdict_text = clean(f.get("verdict"))
        if verdict_text is not None:
            verdict = verdict_text.upper() if verdict_text.upper() in ("ONTIME", "OVERDUE") else None
            if verdict is None:
                notes.add("unknown_verdict")
        record = {
            "row": row, "line": line, "sourceId": sid,
            "registeredAt": opened, "dueAt": due, "closedAt": closed,
            "department": department, "category": category, "area": clean(f.get("area")),
            "description": description, "closureLength": None if closure is None else len(closure),
            "verdict": verdict, "notes": notes,
        }
        return ("accept", record)


# ---------------------------------------------------------------- CSV formats

def key(name):
    return "".join(c.lower() for c in name.strip().lstrip("\ufeff") if c not in " _-")


BOSTON_COLUMNS = {  # field: (column name, aliases)
    "id": ["CASE_ENQUIRY_ID"], "opened": ["OPEN_DT"], "due": ["TARGET_DT", "sla_target_dt"],
    "closed": ["CLOSED_DT"], "status": ["CASE_STATUS"], "category": ["TYPE"], "department": ["Department"],
    "verdict": ["OnTime_Status", "on_time"], "description": ["CASE_TITLE"], "area": ["neighborhood"],
    "closure": ["CLOSURE_REASON"],
}
NYC_COLUMNS = {
    "id": ["Unique Key"], "opened": ["Created Date"], "closed": ["Closed Date"], "due": ["Due Date"],
    "status": ["Status"], "department": ["Agency"], "category": ["Complaint Type"], "description": ["Descriptor"],
    "area": ["Borough"], "closure": ["Resolution Description"],
}


def boston_fields(get):
    status = clean(get("status"))
    state = "missing" if status is None else {"OPEN": "open", "CLOSED": "closed"}.get(status.upper(), "unknown")
    fields = {k: get(k) for k in BOSTON_COLUMNS}
    fields["state"] = state
    return fields


def nyc_fields(get):
    status = clean(get("status"))
    state = "missing" if status is None else ("closed" if status.lower() == "closed" else "open")
    fields = {k: get(k) for k in NYC_COLUMNS}
    fields["state"] = state
    borough = clean(fields["area"])
    fields["area"] = None if borough is None or borough.lower() == "unspecified" else borough.title()
    return fields


def read_csv(path, fmt):
    columns, mapper = (BOSTON_COLUMNS, boston_fields) if fmt == "boston311" else (NYC_COLUMNS, nyc_fields)
    text = path.read_bytes().decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    physical = text.split("\n")
    if physical and physical[-1] == "":
        physical.pop()
    physical = [l[:-1] if l.endswith("\r") else l for l in physical]
    header = next(csv.reader([physical[0]]))
    header_keys = [key(h) for h in header]
    first = {}
    for i, k in enumerate(header_keys):
        if k and k not in first:
            first[k] = i
    index = {}
    for field, names in columns.items():
        for name in names:
            if key(name) in first:
                index[field] = first[key(name)]
                break
    rules = Rules(fmt)
    results = []
    for n, raw in enumerate(physical[1:], start=1):
        line = n + 1
        if raw == "":
            results.append(("reject", [n, line, None, "blank_row"]))
            continue
        fields = next(csv.reader([raw]))
        sid = clean(fields[index["id"]]) if index["id"] < len(fields) else None
        if len(fields) == len(header) and [key(f) for f in fields] == header_keys:
            results.append(("reject", [n, line, None, "repeated_header"]))
            continue
        try:
            next(csv.reader([raw], strict=True))
        except csv.Error:
            results.append(("reject", [n, line, sid, "malformed_quoting"]))
            continue
        if len(fields) != len(header):
            results.append(("reject", [n, line, sid, "wrong_field_count"]))
            continue

        def get(field, fields=fields):
            i = index.get(field)
            return fields[i] if i is not None and i < len(fields) else None

        results.append(rules.apply(n, line, mapper(get)))
    return results, None, None


# ---------------------------------------------------------------- Open311 JSON

READ_KEYS = ["service_request_id", "requested_datetime", "expected_datetime", "updated_datetime", "status",
             "agency_responsible", "service_name", "description", "status_notes"]


class Obj(list):
    """A JSON object as its (key, value) pairs in file order, repeated keys kept."""


def carries(value):
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, (Obj, list)):
        return True  # nested values read as the text "[nested]"
    return value.strip().lower() not in ("null", "true", "false")


def as_text(value):
    return "[nested]" if isinstance(value, (Obj, list)) else value


def read_open311(path):
    text = path.read_bytes().decode("utf-8")
    decoder = json.JSONDecoder(object_pairs_hook=Obj, parse_int=str, parse_float=str)
    stripped = text.lstrip()
    if stripped.startswith("["):
        pos = text.index("[") + 1
    else:
        pos = re.search(r'"(?:service_)?requests"\s*:\s*\[', text).end()
    elements = []
    while True:
        while text[pos] in " \t\r\n,":
            pos += 1
        if text[pos] == "]":
            break
        line = text.count("\n", 0, pos) + 1
        value, pos = decoder.raw_decode(text, pos)
        elements.append((line, value))
    rules = Rules("open311")
    duplicates = Counter()
    results = []
    for n, (line, value) in enumerate(elements, start=1):
        if not isinstance(value, Obj):
            results.append(("reject", [n, line, None, "not_an_object"]))
            continue
        counts = Counter(k for k, _ in value)
        for k, c in counts.items():
            if c > 1:
                duplicates[k] += c - 1
        resolved = {}
        conflict = None
        for k in READ_KEYS:
            carrying = []
            for kk, v in value:
                if kk == k and carries(v) and as_text(v) not in carrying:
                    carrying.append(as_text(v))
            if len(carrying) > 1:
                conflict = k
                break
            resolved[k] = carrying[0] if carrying else None
        if conflict:
            ids = [as_text(v) for k, v in value if k == "service_request_id" and carries(v)]
            results.append(("reject", [n, line, clean(ids[0]) if ids else None, "conflicting_duplicate_key"]))
            continue
        status = clean(resolved["status"])
        state = "missing" if status is None else {"OPEN": "open", "CLOSED": "closed"}.get(status.upper(), "unknown")
        fields = {
            "id": resolved["service_request_id"], "opened": resolved["requested_datetime"],
            "due": resolved["expected_datetime"], "closed": resolved["updated_datetime"], "state": state,
            "department": resolved["agency_responsible"], "category": resolved["service_name"],
            "description": resolved["description"], "closure": resolved["status_notes"], "area": None,
        }
        results.append(rules.apply(n, line, fields))
    return results, sum(duplicates.values()), dict(sorted(duplicates.items()))


# ---------------------------------------------------------------- summary

def summarize(name, fmt):
    path = HERE / name
    results, duplicate_keys, duplicate_keys_by_name = read_open311(path) if fmt == "open311" else read_csv(path, fmt)
    rejects = [r for kind, r in results if kind == "reject"]
    records = [r for kind, r in results if kind == "accept"]
    verdicts = Counter()
    agree = disagree = 0
    notes = Counter()
    for r in records:
        notes.update(r["notes"])
        due, closed = r["dueAt"], r["closedAt"]
        if due is None:
            verdicts["noDueDate"] += 1
        elif closed is not None:
            verdicts["onTime" if closed <= due else "overdue"] += 1
        else:
            verdicts["overdue" if due < NOW else "open"] += 1
        if fmt == "boston311" and r["verdict"] is not None and closed is not None and due is not None:
            if (closed <= due) == (r["verdict"] == "ONTIME"):
                agree += 1
            else:
                disagree += 1
    return {
        "format": fmt,
        "read": len(results),
        "accepted": len(records),
        "rejected": len(rejects),
        "rejectedByReason": dict(sorted(Counter(r[3] for r in rejects).items())),
        "onTime": verdicts["onTime"],
        "overdue": verdicts["overdue"],
        "open": verdicts["open"],
        "noDueDate": verdicts["noDueDate"],
        "agree": agree if fmt == "boston311" else None,
        "disagree": disagree if fmt == "boston311" else None,
        "notes": dict(sorted(notes.items())),
        "duplicateKeys": duplicate_keys,
        "duplicateKeysByName": duplicate_keys_by_name,
        "rejects": rejects,
        "records": [
            [r["row"], r["line"], r["sourceId"], iso(r["registeredAt"]), iso(r["dueAt"]), iso(r["closedAt"]),
             r["department"], r["category"], r["area"], r["description"], r["closureLength"]]
            for r in records
        ],
    }


def main():
    out = {
        "now": iso(NOW),
        "recordColumns": ["row", "line", "sourceId", "registeredAt", "dueAt", "closedAt", "department", "category",
                          "area", "description", "closureLength"],
        "files": {name: summarize(name, fmt) for name, fmt in FILES},
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
