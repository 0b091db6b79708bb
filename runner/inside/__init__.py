"""Programs that run inside the sandbox container: the supervisor and its pytest evidence plugin."""
