"""Benchmark: read a CIN census XML file of 50,000 children (safe parse + walk + conform-ready tables).

    python bench/cin_xml.py

The reader test checks that every child is read; how long it takes is measured here, never asserted
in a test (timings on a shared 2-core machine are noise).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from careboard.returns.cin_xml import read_cin_xml
from careboard.returns.raw import SourceFile
from common import machine, timed

CHILD = (
    "<Child><ChildIdentifiers><LAchildID>C{n}</LAchildID><PersonBirthDate>2015-01-01</PersonBirthDate>"
    "<Sex>F</Sex></ChildIdentifiers><ChildCharacteristics><Ethnicity>WBRI</Ethnicity>"
    "<Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>"
    "<CINdetails><CINreferralDate>2024-05-01</CINreferralDate><ReferralSource>1A</ReferralSource>"
    "<Assessments><AssessmentActualStartDate>2024-05-02</AssessmentActualStartDate>"
    "<FactorsIdentifiedAtAssessment><AssessmentFactors>1A</AssessmentFactors>"
    "</FactorsIdentifiedAtAssessment></Assessments><ReferralNFA>0</ReferralNFA></CINdetails></Child>\n"
)


def document(children: int) -> bytes:
    body = "".join(CHILD.format(n=n) for n in range(children))
    return (
        "<Message>\n<Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year>"
        "<ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails><Source><LEA>201</LEA></Source></Header>\n"
        f"<Children>\n{body}</Children>\n</Message>\n"
    ).encode()


if __name__ == "__main__":
    print(f"machine: {machine()}")
    for n in (50_000, 5_000):
        data = document(n)
        median, best, _ = timed(lambda data=data: read_cin_xml(SourceFile(Path("bench.xml"), data)), repeat=3)
        print(f"{n:>6,} children ({len(data) / 1e6:.1f} MB): {median:.2f} s median ({best:.2f} s best)")
