#!/usr/bin/env python3
"""Cuts the replay test files out of the real exports in shared/data (run from anywhere; needs only Python 3).

Usage: python3 slice.py [DATA_DIR]   (default: ../../../../../shared/data relative to this file, i.e. /work/shared/data)

Every file written here is described in README.md. Real rows are copied byte for byte (line endings included);
the *_synthetic files are real rows edited on purpose, each edit listed in SYNTHETIC below and in README.md.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(os.path.join(HERE, "../../../../../shared/data"))

BOSTON = os.path.join(DATA, "311/boston311_2015_sample50k.csv")
NYC_TUPLEX = os.path.join(DATA, "311/nyc311_tuplex_2000.csv")
NYC_TWOSIX = os.path.join(DATA, "311/nyc311_twosix_1000_2018.csv")
SF = os.path.join(DATA, "open311/open311_sf311_requests_2010.json")

# File lines (1-based, header = line 1) of real messy Boston rows.
BOSTON_MESSY_LINES = [
    16125, 16214, 16375, 20028, 21788, 22815, 22998,  # closed before opened (by seconds: clock skew at closure)
    2266, 2280,  # Closed with a due date but blank OnTime_Status
    2692, 3311,  # Open with a due date, blank OnTime_Status
    17092, 20697, 21325,  # blank CASE_TITLE
    12018,  # CLOSURE_REASON of exactly 4,000 characters
    2725, 8340,  # U+FFFD in the text; doubled quotes inside a quoted field
    7704, 7705,  # 8 Mar 2015 (DST start day, afternoon)
    42991,  # 1 Nov 2015 (DST end day), 01:42:46 PM
]

# File lines of real messy NYC rows: tuplex (2011) then twosix (2018-19); both files have the same header.
NYC_TUPLEX_MESSY_LINES = [
    112,  # Closed, no Due Date
    1074,  # Pending with a Closed Date
    1604,  # Assigned with Closed Date 01/01/1900 12:00:00 AM
]
NYC_TWOSIX_MESSY_LINES = [
    238, 276, 328, 547,  # Pending with a Closed Date before the Created Date (all such NYC rows are not Closed)
]
NYC_TWOSIX_STATUS = {"Open", "In Progress", "Assigned", "Email Sent", "Pending"}

# 0-based indexes of real messy SF311 records.
SF_MESSY = [
    697,  # every value "null", requested_datetime ":27.7"
    696,  # requested_datetime without seconds (2010-11-12 07:07)
    608, 700, 777, 837,  # expected_datetime before requested_datetime (truncated to the minute / midnight)
    998, 999, 1000,  # closed requests
]


def lines(path):
    with open(path, "rb") as f:
        return f.read().splitlines(keepends=True)


def write(name, chunks):
    with open(os.path.join(HERE, name), "wb") as f:
        for c in chunks:
            f.write(c)


def boston():
    src = lines(BOSTON)
    write("boston311_head300.csv", src[:301])
    write("boston311_messy.csv", [src[0]] + [src[n - 1] for n in BOSTON_MESSY_LINES])


def nyc():
    tuplex = lines(NYC_TUPLEX)
    twosix = lines(NYC_TWOSIX)
    write("nyc311_head200.csv", tuplex[:201])
    picked = [tuplex[n - 1] for n in NYC_TUPLEX_MESSY_LINES] + [twosix[n - 1] for n in NYC_TWOSIX_MESSY_LINES]
    # Open-ish statuses of twosix, first of each, and a row with borough Unspecified.
    seen = set()
    import csv
    import io
    header = next(csv.reader(io.StringIO(twosix[0].decode("utf-8"))))
    si, bi = header.index("Status"), header.index("Borough")
    unspecified = False
    for raw in twosix[1:]:
        row = next(csv.reader(io.StringIO(raw.decode("utf-8"))))
        if row[si] in NYC_TWOSIX_STATUS and row[si] not in seen:
            seen.add(row[si])
            picked.append(raw)
        elif row[bi] == "Unspecified" and not unspecified:
            unspecified = True
            picked.append(raw)
    write("nyc311_messy.csv", [tuplex[0]] + picked)


def sf_records():
    """The requests array's elements as text blocks (the file is pretty-printed: each record starts with '    {')."""
    src = lines(SF)
    starts = [i for i, l in enumerate(src) if l.rstrip(b"\r\n") == b"    {"]
    ends = [i for i, l in enumerate(src) if l.rstrip(b"\r\n") in (b"    },", b"    }")]
    assert len(starts) == len(ends) == 1001, (len(starts), len(ends))
    return [b"".join(src[s:e]) + b"    }" for s, e in zip(starts, ends)]


def sf():
    records = sf_records()

    def doc(items):
        return [b'{\n  "requests" : [\n', b",\n".join(items), b"\n  ]\n}\n"]

    write("open311_head100.json", doc(records[:100]))
    write("open311_messy.json", doc([records[i] for i in SF_MESSY]))


def boston_synthetic():
    """Real Boston rows (head of the file) edited to show each rule; the header is made odd on purpose."""
    import csv
    import io
    src = lines(BOSTON)
    header = next(csv.reader(io.StringIO(src[0].decode("utf-8"))))
    base = [next(csv.reader(io.StringIO(l.decode("utf-8")))) for l in src[1:30]]
    col = {n: i for i, n in enumerate(header)}

    def row(base_index, sid, **edits):
        r = list(base[base_index])
        r[col["CASE_ENQUIRY_ID"]] = sid
        for name, value in edits.items():
            r[col[name]] = value
        return r

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    odd = list(header)
    odd[col["CASE_STATUS"]] = " Case_Status "  # spaces and case
    odd[col["precinct"]] = "ward"  # a second column named ward
    out.write("\ufeff")  # byte order mark
    w.writerow(odd)
    # base 0: Closed ONTIME, due 01/05/2015 08:30, closed 01/02/2015 06:32:22 PM; base 5: Open without due date
    w.writerow(row(0, "900000000001", CLOSED_DT=""))  # closed_without_date
    w.writerow(row(0, "900000000002", CASE_STATUS="Open", OnTime_Status="OVERDUE"))  # open, closing date ignored
    w.writerow(row(0, ""))  # missing_id
    w.writerow(row(0, "900000000002"))  # duplicate_id
    w.writerow(row(0, "900000000005", OPEN_DT="2015-13-45 25:00"))  # unparsable_registered_at
    w.writerow(row(0, "900000000006", OPEN_DT=""))  # missing_registered_at
    w.writerow(row(0, "900000000007", TARGET_DT="01/35/2015 08:30:00 AM"))  # unparsable_due_at
    w.writerow(row(0, "900000000008", CLOSED_DT="yesterday"))  # unparsable_closed_at
    w.writerow(row(0, "900000000009", CASE_STATUS="Open", CLOSED_DT="n/a"))  # open: closing text ignored
    w.writerow(row(0, "900000000010")[:20])  # wrong_field_count
    w.writerow(odd)  # repeated_header (concatenated exports repeat their header)
    out.write("\r\n")  # blank_row
    w.writerow(row(0, "900000000013", CASE_STATUS=""))  # missing_status
    w.writerow(row(0, "900000000014", CASE_STATUS="Pending"))  # unknown_status
    w.writerow(row(0, "900000000015", OPEN_DT="03/08/2015 02:30:00 AM", TARGET_DT="03/10/2015 08:30:00 AM",
                   CLOSED_DT="", CASE_STATUS="Open", OnTime_Status="OVERDUE"))  # DST gap; open, past due
    w.writerow(row(0, "900000000016", OPEN_DT="11/01/2015 01:30:00 AM", TARGET_DT="11/03/2015 08:30:00 AM",
                   CLOSED_DT="11/01/2015 01:45:00 AM"))  # DST ambiguous open and close
    w.writerow(row(0, "900000000017", CLOSED_DT="01/06/2015 09:00:00 AM"))  # ONTIME but closed after due: disagree
    w.writerow(row(0, "900000000018", OnTime_Status="LATE"))  # unknown_verdict note
    w.writerow(row(0, "900000000019", Department=""))  # missing_department
    w.writerow(row(0, "900000000020", TYPE="  "))  # missing_category
    bad = row(0, "900000000021")
    line = io.StringIO()
    csv.writer(line, lineterminator="\r\n").writerow(bad)
    out.write(line.getvalue().replace(",Pick up Dead Animal,", ',"Pick up" Dead Animal,', 1))  # malformed_quoting
    w.writerow(row(0, "9" * 101))  # too_long
    w.writerow(row(0, "900000000023", CASE_TITLE="x" * 4100))  # description cut to 4,000
    w.writerow(row(5, "900000000024", TARGET_DT="01/05/2030 08:30:00 AM"))  # open, due in the future
    w.writerow(row(0, "900000000025", CASE_STATUS="closed", CLOSED_DT="01/02/2015 18:32:22"))  # lower case, 24-hour
    w.writerow(row(0, " 900000000026 ", neighborhood=" ", CASE_TITLE=" Pick up Dead Animal "))  # padded values
    with open(os.path.join(HERE, "boston311_synthetic.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(out.getvalue())


SF_SYNTHETIC = [
    '{"service_request_id": 1, "status": "open", "service_name": "Pothole", "requested_datetime": "2010-11-15 08:00:00", '
    '"expected_datetime": "2010-11-20 10:00:00", "expected_datetime": "2010-11-21 10:00:00"}',  # conflicting_duplicate_key
    '{"service_request_id": "2", "status": "closed", "service_name": "Pothole", "agency_responsible": "DPW", '
    '"description": "Pothole on Market St", "status_notes": "Filled", "requested_datetime": "2010-11-15T01:05:25-08:00", '
    '"expected_datetime": "2010-11-16T09:05:25Z", "updated_datetime": "2010-11-15T12:00:00-0800"}',  # offsets
    '{"service_request_id": 3, "status": "Open", "service_name": "Graffiti", "requested_datetime": "2010-11-07 01:30:00", '
    '"expected_datetime": null}',  # ambiguous (fall back), JSON null due
    '{"service_request_id": 4, "status": "Open", "service_name": "Graffiti", "requested_datetime": "2010-03-14 02:30:00", '
    '"expected_datetime": "2030-01-01 00:00:00", "media": {"url": "http://example.invalid/x.jpg"}, "attributes": [1, [2]]}',  # gap, nested
    '42',  # not_an_object
    '{"service_request_id": 6, "status": "pending", "service_name": "Graffiti", "requested_datetime": "2010-11-15 08:00:00"}',
    '{"service_request_id": 7, "service_name": "Graffiti", "requested_datetime": "2010-11-15 08:00:00"}',  # missing_status
    '{"service_request_id": 8, "status": "closed", "service_name": "Graffiti", "requested_datetime": "2010-11-15 08:00:00", '
    '"updated_datetime": "null", "updated_datetime": true}',  # closed_without_date
    '{"service_request_id": 9, "status": "closed", "service_name": "Graffiti", "requested_datetime": "2010-11-15 08:00:00", '
    '"updated_datetime": "2010-11-15 07:59:59"}',  # closed_before_opened
    '{"service_request_id": "2", "status": "open", "service_name": "Graffiti", "requested_datetime": "2010-11-15 08:00:00"}',  # duplicate
    '{"service_request_id": 11, "status": "closed", "service_name": "Graffiti", "description": "", '
    '"requested_datetime": "2010-11-15 08:00:00", "expected_datetime": "2010-11-16 08:00:00", "expected_datetime": "null", '
    '"updated_datetime": "2010-11-17 08:00:00", "updated_datetime": "2010-11-17 08:00:00"}',  # same value twice: fine; overdue
    '{"service_request_id": " 12 ", "status": "Closed", "service_name": "", "requested_datetime": "2010-11-15 08:00:00", '
    '"updated_datetime": "2010-11-15 09:00:00"}',  # missing_category
]


def sf_synthetic():
    with open(os.path.join(HERE, "open311_synthetic.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write("[\n" + ",\n".join("  " + r for r in SF_SYNTHETIC) + "\n]\n")


if __name__ == "__main__":
    boston()
    nyc()
    sf()
    boston_synthetic()
    sf_synthetic()
    print("written to", HERE)
