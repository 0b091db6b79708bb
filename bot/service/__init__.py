"""What every long-running process sets up: its own secrets, JSON logs and Prometheus metrics."""
