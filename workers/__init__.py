"""Work on a queue: the Celery app, its tasks and what the scheduler enqueues (issue 16).

A roof package beside `jobs/`: the tasks are thin wrappers over the `jobs.tasks` bodies, so a
crawl or score run by a worker is recorded, summarised and idempotent exactly like one run
in the scheduler's process. The queue carries ids (a source id, "score some more"); storage
carries the data. Without `[workers] broker_url` none of this is used.
"""
