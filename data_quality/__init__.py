"""Data quality: Great Expectations 1.x suites over frames pre-aggregated in DuckDB.

A :class:`~data_quality.checks.QualityCheck` names the asset it guards, the SQL
that shapes the frame it inspects, and its expectations, each with a severity
(``warn`` publishes and shows the breach; ``error`` stops publishing) and the
remedy a RevOps analyst should apply. :func:`~data_quality.evaluation.run_check`
evaluates one check with Great Expectations through its pandas datasource.

Suites: ``raw_suite`` (the landing zone once loaded), ``calibration_suite``
(SPEC 8: trigger firing rates and precision, the readiness gate, whitespace
coverage; bounds read from ``seeds.calibration_bounds``) and ``marts_suite``
(integrity of every published mart). ``history`` appends every outcome to
``quality.check_results``, which the dashboards render offline. See
docs/data_quality.md.
"""
