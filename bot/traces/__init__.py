"""PR telemetry traces: schema, reconstruction, redaction, integrity, QA and storage."""
