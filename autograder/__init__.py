"""The grading engine of the course kit, each assignment's hidden graders, and the grading command.

``python -m autograder grade PATH... --json OUT`` (docs/records.md says what it writes).
"""
