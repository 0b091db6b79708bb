"""Everything that talks to GitHub: client and auth, gathering, reporting; pure helpers beside."""
