"""Many assessments of one catalog combined into a portfolio report (`baseline aggregate`)."""
