"""The result models of the commands built on scans, below the renderers that read them.

``diff`` holds what ``tosscan diff`` and ``tosscan history`` return (``DiffResult``, ``HistoryResult``),
``matrix`` what ``tosscan compare`` returns (``Matrix``). They are built by ``tosscan.diff`` and
``tosscan.compare`` (which re-export them) and rendered by ``tosscan.render``: both sit above this
package, so neither imports upwards, not even for type checking (``tests/test_architecture.py``).
"""
