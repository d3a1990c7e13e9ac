# nbgrader's configuration: the kit's, from the values in course_config.py.
from autograder.nbgrader.config import configure

configure(get_config())  # noqa: F821
