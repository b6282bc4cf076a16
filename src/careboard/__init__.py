"""careboard: corporate-parenting intelligence from an English local authority's own statutory returns.

The package is shaped like the data flow: ``returns`` (read files) -> ``store`` (DuckDB) ->
``validate`` / ``model`` -> ``measures`` -> ``benchmark`` -> ``publish``.
"""

__version__ = "0.1.0"
