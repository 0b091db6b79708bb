"""Understanding a failure: log parsing, categories, error signatures, library detection."""
