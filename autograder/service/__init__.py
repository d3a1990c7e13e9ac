"""The grading service: feedback seconds after a student's Submit on a JupyterHub.

- ``inbox``: the nbgrader exchange's inbound folder: whose each submission is, which attempt;
- ``queue``: huey's durable queue (SQLite, or Redis across machines) and its task, ``grade``;
- ``ledger``: what became of each submission, so that each is written out exactly once;
- ``deliver``: the one writer: the gradebook, the course's folders and the page in the exchange;
- ``serve``: the loop: file-system events and scans, the queue, the writer.
"""

from autograder.service.serve import serve

__all__ = ["serve"]
