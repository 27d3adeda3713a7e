"""Compare agreements side by side: the matrix model (``matrix``) built from scan results.

    from tosscan.api import scan_file
    from tosscan.compare import build_matrix
    m = build_matrix([scan_file(a), scan_file(b)], names=["LOFTER", "小红书"])
    m.rows[0].id, [c.value for c in m.rows[0].cells]

The renderers live with the others in ``tosscan.render`` (``render_compare``).
"""

from tosscan.compare.matrix import Cell, CellEvidence, Column, Matrix, Row, build_matrix, column_names

__all__ = ["Cell", "CellEvidence", "Column", "Matrix", "Row", "build_matrix", "column_names"]
