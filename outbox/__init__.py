"""Outbound delivery shared by digest and alerts: SMTP, MIME building, webhooks, alert wording.

It sits below the outputs (digest, alerts) so that they never import each other: what
both need to send something lives here. It imports only storage's records and the floor.
"""
