"""Read-only HTTP API for other systems (`newsroom api`): documents with their effective
scores, counts per day/topic/watch/place and incidents, behind per-user tokens.

An output beside the dashboard, digest and alerts: it reads through `storage` only and
follows the dashboard's role rules (a project lead reads their own projects' items).
"""
