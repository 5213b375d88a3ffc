"""The floor: configuration, domain records, time helpers and templates.

Everything in the project may import `core`; `core` imports nothing of the project.
"""
