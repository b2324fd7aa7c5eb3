"""``docs/notebook.ipynb`` runs top to bottom in a real Jupyter kernel (nbclient), with the app's figures."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "notebook.ipynb"


def test_notebook_runs_in_a_kernel():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()  # raises CellExecutionError on any failing cell, its assertions included
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    figures = [o for o in outputs if "image/svg+xml" in o.get("data", {})]
    assert len(figures) >= 7  # e, α, P(y), α beside α′, the beam tree, two α maps
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "la grande voiture rouge voit un petit chien" in printed
    assert "step 2 writes 'grande' → 'chien'" in printed
    assert "head 1: peaks on" in printed  # the Transformer's section, its equations checked in the cells


def test_figures_import_without_streamlit():
    import subprocess
    import sys

    code = "import sys, ui.charts.figures; assert not [m for m in sys.modules if m.startswith('streamlit')]"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=NOTEBOOK.parents[1])
