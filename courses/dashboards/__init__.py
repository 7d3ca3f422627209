"""Coordinators' dashboards: summary tables kept as learners progress, and the pages, charts and
exports that read them."""
