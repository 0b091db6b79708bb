"""The fix feature, from a failing check to a posted, verified fix. Read it top to bottom:

- `routes.py`     webhook events (check_run, check_suite, workflow_run) → a `FixJob`
- `job.py`        `FixJob`: which commit of which PR, and what asked for it
- `github_job.py` the worker's job: checks, gathers, runs the pipeline, posts, gives up visibly
- `admission.py`  which PR (forks included), whether to run, whether the head moved
- `quota.py`, `repo_config.py`  the caps and the repository's config
- `supersede.py`  a push stops the session on the old head (arq's abort), said on the PR
- `apply_job.py`  the check run's "Apply fix" button commits the verified diff
- `types.py`      `FixRequest` (what to fix), `Origin` (where from), `FixOutcome`
- `pipeline.py`   the steps: prepare, reproduce (twice), analyse, search, decide
- `reproduce.py`  which tests CI named, the failures a run shows, a model-written reproduction
- `candidates.py` verify candidates batch by batch (tiered), confirm the winner in re-runs
- `run.py`        one running session's state (`FixRun`) and its dependencies
- `search.py`     the candidate stream: engines cheapest first, screened, de-duplicated
- `engines.py`    which repair engines a session gets
- `events.py`     the typed events the pipeline emits, and the thread→loop bridge
- `recorder.py`   the listener that keeps the session's database record

`/truth fix` comments are parsed in bot/handlers/commands.py and queue the same `FixJob`.
"""
