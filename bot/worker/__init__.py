"""The arq worker: typed job values, the job lifecycle, the one enqueue path, arq's settings.

Read in this order: `job.py` (what a job is), `context.py` (what a job is handed),
`lifecycle.py` (slots, retries, giving up visibly), `queue.py` (how jobs are enqueued),
`app.py` (arq's WorkerSettings built from the routes).
"""
