"""Data quality: Great Expectations suites, checks and report_flags, dashboard."""
