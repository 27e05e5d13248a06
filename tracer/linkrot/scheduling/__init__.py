"""The machinery of a check run: claiming due links (leases), sharing hosts' politeness
between workers (host leases and budgets), pacing archive look-ups, the sidecar process
that reads pages and stores results, and forked workers. What a check means (outcomes,
classification, confirmation, the report) is the domain in tracer.linkrot itself."""
