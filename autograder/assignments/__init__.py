"""The hidden graders, one package per assignment (course_config.ASSIGNMENTS names them):
``autograder/assignments/<assignment>/``, one ``test_<task>.py`` per graded task."""
