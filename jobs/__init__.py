"""The scheduler's job bodies, one module per concern.

`jobs.tasks` holds the module-level functions that APScheduler stores by reference
in its SQLite job store (their only argument is the config path, so they pickle); each one
runs through `jobs.recording.run_recorded`, which records the run in `job_runs` and
turns every error into a recorded outcome instead of an exception in the scheduler.
"""
