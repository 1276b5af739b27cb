"""Running Linkwell in production: backups, checksums, start-up and readiness checks,
accounts from the command line, retention, and the request log."""
