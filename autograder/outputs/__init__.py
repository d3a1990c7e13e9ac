"""What a run's records become; ``files`` writes every file of a run.  Tables and the grades
CSV (``tables``), feedback pages (``feedback``, ``plots``), the class report (``class_report``,
``similarity``), nbgrader's gradebook (``gradebook``), Gradescope's results and package
(``gradescope``) and Canvas's import file (``canvas``)."""
