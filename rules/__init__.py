# The rule catalog ships inside the package as ``tosscan.catalog`` (see pyproject.toml); it is data, not code.
