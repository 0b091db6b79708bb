"""The fix feature, from a failing check to a posted, verified fix. Read it top to bottom:

- `routes.py`     webhook events (check_run, check_suite, workflow_run) → a `FixJob`
- `job.py`        `FixJob`: which commit of which PR, and what asked for it
- `github_job.py` the worker's job: checks, gathers, runs the pipeline, posts, gives up visibly
- `quota.py`, `repo_config.py`  what the job checks before it starts
- `types.py`      `FixRequest` (what to fix), `Origin` (where from), `FixOutcome`
- `pipeline.py`   the steps: reproduce, generate, verify, decide
- `run.py`        one running session's state (`FixRun`) and its dependencies
- `search.py`     the candidate stream: engines cheapest first, screened, de-duplicated
- `engines.py`    which repair engines a session gets
- `reproduce.py`  a model-written reproduction test when CI's log names no test
- `events.py`     the typed events the pipeline emits, and the thread→loop bridge
- `recorder.py`   the listener that keeps the session's database record

`/truth fix` comments are parsed in bot/handlers/commands.py and queue the same `FixJob`.
"""
