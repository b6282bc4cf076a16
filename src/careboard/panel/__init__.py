"""The Corporate Parenting Panel's own business: meetings, questions, actions, score-sheets,
challenge cards and inspection action plans.

Unlike the returns, this is transactional data written through the web by many people at once
(members, officers, the participation officer) while analysts load returns from the command line.
It lives in the web app's SQLite file (store/webdb.py, WAL mode, one short write transaction each),
never in the DuckDB database, which admits one writing process at a time.  Figures are joined to
the business only where they are shown, from the same disclosure-controlled briefing as every other
page (section.py for the pack), so no figure reaches a member by a side door.

* ``store.py``: reading and writing the business; every write is audited in the same transaction.
* ``screen.py``: free text is refused if it holds a child's identifier from the loaded data, or
  obvious personal details; only screened text is ever stored.
* ``dates.py``: due dates in England working days.
* ``section.py``: the "Panel business" section of the members' pack.
* ``export.py``: ``careboard export-business`` (CSV or JSON, every table).
"""
