"""总览: the overview admin page (coverage, review progress, findings, trends)."""
