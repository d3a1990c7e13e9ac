"""The kit inside nbgrader's real command line.

- ``config``: nbgrader's configuration from the course's settings (nbgrader_config.py calls it);
- ``preprocessors``: points from the settings at ``generate_assignment``, and ``autograde``
  graded by the kit in its sandbox;
- ``exchange``: ``nbgrader submit`` with each submission closed to other students;
- ``course``: nbgrader's command run on a course folder (the build of release/ and solutions/).
"""
