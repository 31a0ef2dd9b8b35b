"""JUnit XML for CI dashboards: one test case per scenario, and one failing case per invalid file,
so a run that could not even load a journey never shows up as "0 tests, 0 failures"."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Sequence

from .report import describe, failure_text
from .runner import ScenarioResult


def write_junit(results: list[ScenarioResult], path: Path, invalid: Sequence[str] = ()) -> None:
    failures = sum(1 for r in results if not r.passed and not r.skipped_reason) + len(invalid)
    suite = ET.Element("testsuite", name="mx-sandbox scenarios", tests=str(len(results) + len(invalid)),
                       failures=str(failures), skipped=str(sum(1 for r in results if r.skipped_reason)),
                       time=f"{sum(r.seconds for r in results):.3f}")
    for problem in invalid:  # "path:line: message"
        file = problem.split(":", 1)[0]
        case = ET.SubElement(suite, "testcase", classname="scenarios.invalid", name=Path(file).name, file=file,
                             time="0.000")
        ET.SubElement(case, "failure", message="invalid scenario file").text = problem
    for result in results:
        case = ET.SubElement(suite, "testcase", classname="scenarios", name=result.scenario.name,
                             file=str(result.scenario.path), time=f"{result.seconds:.3f}")
        if result.skipped_reason:
            ET.SubElement(case, "skipped", message=result.skipped_reason)
        elif not result.passed:
            failure = ET.SubElement(case, "failure", message=(result.failure.message if result.failure else "failed"))
            failure.text = failure_text(result)
        if result.events:
            out = ET.SubElement(case, "system-out")
            out.text = "\n".join(f"{e['at']} {e['kind']:<7} {describe(e)}" for e in result.events)
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
