"""What runs inside the sandbox, beside student code: the worker and its probes.

Nothing in this package knows an assignment, a seed, a reference value or a working
answer, and nothing here imports the rest of the kit: the sandbox shows student code
this package (read-only) and nothing else of the kit.  The judging process sends each
task's probes, and the stand-ins of earlier functions that task needs, only when that
task is observed.
"""
