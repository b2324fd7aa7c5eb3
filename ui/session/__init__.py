"""The link (query parameters) and session state, the one page registry, and the router's page set-up."""
