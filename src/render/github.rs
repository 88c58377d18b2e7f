//! GitHub Actions workflow-command output.
