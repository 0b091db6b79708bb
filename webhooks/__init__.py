"""HTTP ingress for GitHub webhooks: verify, parse, de-duplicate, enqueue. No GitHub API calls."""
