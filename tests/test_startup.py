"""What the command line loads, and when: start-up time depends on it.

Each check runs in a fresh interpreter (``sys.modules`` of this test session holds everything
already) and reads back what was imported, built and paused.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SEED = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))[0]

# Loaded only by the commands that use them: a table or a progress bar (rich), flat rows, an export
# (duckdb), the schemas, the other commands' outputs; and the worker pool, by a run large enough.
NOT_FOR_JSON = [
    "concurrent.futures.process",
    "kzaz_facts.workers",
    "duckdb",
    "pandas",
    "kzaz_facts.export",
    "kzaz_facts.flat",
    "kzaz_facts.output.schemas",
    "kzaz_facts.output.fact_table",
    "kzaz_facts.output.entities",
    "kzaz_facts.output.timeline",
    "kzaz_facts.output.evaluation",
    "kzaz_facts.entities",
    "kzaz_facts.timeline",
    "kzaz_facts.evaluate",
]


def _in_fresh_python(code: str) -> dict[str, object]:
    """Run ``code`` (it leaves a dict in ``found``) in a new interpreter; that dict."""
    script = f"import json, sys\n{code}\nprint(json.dumps(found))\n"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300
    )
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_importing_the_command_line_loads_no_spacy_rich_or_output_writers() -> None:
    found = _in_fresh_python(
        "import kzaz_facts.cli\n"
        "names = ['spacy', 'rich', 'duckdb', 'kzaz_facts.engine', 'kzaz_facts.output.streams',"
        " *" + repr(NOT_FOR_JSON) + "]\n"
        "found = {'loaded': [name for name in names if name in sys.modules]}"
    )
    assert found == {"loaded": []}


def test_a_json_run_loads_only_what_it_writes_with(tmp_path: Path) -> None:
    found = _in_fresh_python(
        "import gc\n"
        "from kzaz_facts.cli import main\n"
        f"sys.argv = ['kzaz', 'extract', {str(SEED)!r}, '-f', 'json', '-o', "
        f"{str(tmp_path / 'out.json')!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as stop:\n"
        "    code = stop.code\n"
        "from kzaz_facts.records import Report\n"
        "found = {\n"
        "    'code': code,\n"
        f"    'loaded': [name for name in {NOT_FOR_JSON!r} if name in sys.modules],\n"
        "    'report_model_built': Report.__pydantic_complete__,\n"
        "    'collecting': gc.isenabled(),\n"
        "    'start_up_frozen': gc.get_freeze_count() > 0,\n"
        "}"
    )
    assert found == {
        "code": 0,
        "loaded": [],
        # the report's validators are built on first use (defer_build): JSON output streams
        "report_model_built": False,
        # paused while the pipeline was built, then collecting again, start-up objects frozen
        "collecting": True,
        "start_up_frozen": True,
    }
    assert json.loads((tmp_path / "out.json").read_text())["documents"]
